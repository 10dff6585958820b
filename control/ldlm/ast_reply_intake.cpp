#include "control/ldlm/ast_reply_intake.hpp"

#include "dataplane/worker.hpp"
#include "lnet_core/ptlrpc/opcodes.hpp"

namespace ostd::control {

bool AstReplyIntake::send(lnet::ProcessId peer, uint64_t xid, Request request, dataplane::Worker& worker)
{
    forget(xid, worker);  // one ME per xid
    Slot slot{std::make_unique<std::array<std::byte, reply_capacity>>(), {}, peer, std::move(request), 0, {}};
    lnet::MatchSpec me{lnet::ptlrpc::portal::ldlm_cb_reply, peer, xid, 0};
    lnet::MdSpec md{*slot.buffer, lnet::md_option::op_put | lnet::md_option::truncate, 1, 0, true,
                    &worker.eq(), dataplane::service_tag(_service)};
    auto handle = worker.endpoint().attach(me, md, lnet::Position::after, worker.tx());
    if (!handle) {
        _stats.attach_failed.add();
        return false;
    }
    slot.md = *handle;
    _stats.expected.add();
    auto [it, inserted] = _slots.emplace(xid, std::move(slot));
    put(it->second, xid, worker, Clock::now());
    _stats.sent.add();
    return true;
}

// One attempt; the next is due resend_interval later whether this one went
// out or was pushed back.
bool AstReplyIntake::put(Slot& slot, uint64_t xid, dataplane::Worker& worker, Clock::time_point now)
{
    ++slot.attempts;
    slot.next_attempt = now + _policy.resend_interval;
    auto status = worker.endpoint().put_bytes(*slot.request, slot.peer, lnet::ptlrpc::portal::ldlm_cb_request, xid,
                                              {}, worker.tx());
    if (status == lnet::SendStatus::sent)
        return true;
    _stats.send_pushback.add();
    return false;
}

size_t AstReplyIntake::resend_due(dataplane::Worker& worker)
{
    if (_slots.empty())
        return 0;
    auto now = Clock::now();
    size_t resent = 0;
    for (auto& [xid, slot] : _slots) {
        if (slot.attempts >= _policy.max_attempts || now < slot.next_attempt)
            continue;
        put(slot, xid, worker, now);
        _stats.resent.add();
        ++resent;
        if (slot.attempts == _policy.max_attempts)
            _stats.exhausted.add();
    }
    return resent;
}

void AstReplyIntake::forget(uint64_t xid, dataplane::Worker& worker)
{
    auto it = _slots.find(xid);
    if (it == _slots.end())
        return;
    worker.endpoint().unlink(it->second.md);
    _slots.erase(it);
    _stats.forgotten.add();
}

void AstReplyIntake::on_event(const lnet::Event& event, dataplane::Worker& worker)
{
    if (event.type != lnet::EventType::put)
        return;
    auto it = _slots.find(event.match_bits);
    if (it == _slots.end() || !(it->second.md == event.md))
        return;
    auto rpc = std::make_unique<dataplane::IncomingRpc>();
    rpc->bytes.assign(event.data, event.data + event.mlength);
    rpc->peer = event.initiator;
    rpc->xid = event.match_bits;
    rpc->portal = lnet::ptlrpc::portal::ldlm_cb_reply;
    rpc->worker = worker.index();
    if (!event.unlinked)
        worker.endpoint().unlink(it->second.md);
    _slots.erase(it);
    _waiting.push_back(std::move(rpc));
    poll(worker);
}

size_t AstReplyIntake::poll(dataplane::Worker& worker)
{
    size_t resent = resend_due(worker);
    size_t forwarded = 0;
    while (!_waiting.empty() && rte_ring_sp_enqueue(worker.to_control(), _waiting.front().get()) == 0) {
        _waiting.front().release();  // the control core owns it now
        _waiting.pop_front();
        ++forwarded;
    }
    if (!_waiting.empty())
        _stats.ring_full.add();
    _stats.forwarded.add(forwarded);
    return forwarded + resent;
}

}  // namespace ostd::control
