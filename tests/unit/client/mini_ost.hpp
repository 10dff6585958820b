// Test helper: the smallest OST with an LDLM that exercises the client the
// way DESIGN.md 4.4-4.6 and 6 say ostd will -- the client's harness, not a
// model of ostd. Objects are byte vectors. Locks: granted at once when
// nothing conflicts (expanded to [0, EOF] unless NO_EXPANSION and nothing
// incompatible is granted), else BLOCK_GRANTED, a BL AST to each conflicting
// holder, and a CP AST once they are cancelled. A glimpse that meets a
// granted PW lock sends that holder a GL AST and answers 301 with the larger
// size. Writes GET their data from the client's bulk MD, reads PUT it.
// SPECULATIVE enqueues that meet any conflicting lock (granted or waiting)
// are refused with -EAGAIN and leave no trace; GROUP locks are whole-file and
// compatible only with GROUP locks of the same gid.
// Everything it does is logged, in order, for the tests to read.
#pragma once

#include <algorithm>
#include <map>
#include <string>

#include "lnet_core/ptlrpc/ldlm_wire.hpp"
#include "lnet_core/ptlrpc/ost_wire.hpp"
#include "tests/unit/client/ptlrpc_server.hpp"

namespace ostd::client::testing {

struct LogEntry {
    std::string what;  // enqueue, enqueue_dropped, refused, grant, wait, bl_ast, bl_reply, cp_ast, gl_ast, gl_reply, cancel, write, read, punch, sync
    uint64_t a = 0;    // enqueue: flags; write/read/punch: offset; cancel/bl/cp/gl: client cookie
    uint64_t b = 0;    // enqueue: client cookie; write/read: length; gl_reply: size; bl_reply: status
    uint64_t c = 0;    // write/read: o_handle; enqueue: pb_flags
};

struct MiniLock {
    uint64_t server_cookie = 0;
    uint64_t client_cookie = 0;
    lnet::ProcessId peer;
    uint64_t object = 0;
    uint32_t mode = 0;
    uint64_t start = 0, end = 0;
    uint64_t gid = 0;
    bool granted = false;
    bool no_expand = false;
    bool bl_sent = false;
};

class MiniOst {
public:
    size_t drop_enqueues = 0;  // the first N enqueues get no reply (set before traffic)

    ServerHandler handler()
    {
        return [this](PtlrpcServer& server, const ServedRequest& request, size_t) { return handle(server, request); };
    }

    // Test thread.
    std::vector<LogEntry> log() const { std::lock_guard l(_mutex); return _log; }
    std::vector<MiniLock> locks() const { std::lock_guard l(_mutex); return _locks; }
    std::vector<std::byte> object(uint64_t id) const
    {
        std::lock_guard l(_mutex);
        auto it = _objects.find(id);
        return it == _objects.end() ? std::vector<std::byte>{} : it->second;
    }
    void set_object(uint64_t id, std::vector<std::byte> bytes) { std::lock_guard l(_mutex); _objects[id] = std::move(bytes); }
    size_t count(const std::string& what) const
    {
        auto entries = log();
        return std::count_if(entries.begin(), entries.end(), [&](const LogEntry& e) { return e.what == what; });
    }

    // Server thread (through PtlrpcServer::post).
    void send_blocking_ast(PtlrpcServer& server, uint64_t client_cookie)
    {
        std::lock_guard l(_mutex);
        for (MiniLock& lock : _locks)
            if (lock.client_cookie == client_cookie)
                bl_ast(server, lock, lock);
    }
    // A blocking AST to the holder of client_cookie naming a lock it does not
    // hold (stale_cookie), as when its cancel crossed the AST; the answer's
    // status is logged as bl_reply (b: the status, as a signed value).
    void send_stale_blocking_ast(PtlrpcServer& server, uint64_t client_cookie, uint64_t stale_cookie)
    {
        std::lock_guard l(_mutex);
        for (const MiniLock& lock : _locks)
            if (lock.client_cookie == client_cookie) {
                MiniLock stale = lock;
                stale.client_cookie = stale_cookie;
                server.send_ast(lock.peer, ptlrpc::Opcode::ldlm_bl_callback, {ldlm_request_for(stale)},
                                [this](PtlrpcServer&, std::optional<AstReply> reply) {
                                    std::lock_guard logged(_mutex);
                                    _log.push_back({"bl_reply", 0, static_cast<uint64_t>(reply ? reply->status : 1)});
                                });
                return;
            }
    }
    void send_glimpse_ast(PtlrpcServer& server, uint64_t client_cookie)
    {
        std::lock_guard l(_mutex);
        for (MiniLock& lock : _locks)
            if (lock.client_cookie == client_cookie) {
                _log.push_back({"gl_ast", client_cookie});
                server.send_ast(lock.peer, ptlrpc::Opcode::ldlm_gl_callback, {ldlm_request_for(lock)},
                                [this](PtlrpcServer&, std::optional<AstReply> reply) {
                                    std::lock_guard logged(_mutex);  // later, on the server thread
                                    _log.push_back({"gl_reply", 0, glimpsed_size(reply)});
                                });
            }
    }

private:
    static bool compatible(uint32_t a, uint32_t b, uint64_t gid_a = 0, uint64_t gid_b = 0)
    {
        namespace m = ptlrpc::lock_mode;
        if (a == m::pr && b == m::pr)
            return true;
        if (a == m::group && b == m::group)
            return gid_a == gid_b;
        return a == m::nl || b == m::nl;  // enough for PR/PW/GROUP tests
    }
    static std::vector<std::byte> bytes(std::span<const std::byte> in) { return {in.begin(), in.end()}; }

    static std::vector<std::byte> ldlm_request_for(const MiniLock& lock)
    {
        ptlrpc::LdlmRequest request;
        request.lock_count = 1;
        request.desc.name = {lock.object, 0, 0, 0};
        request.desc.req_mode = request.desc.granted_mode = lock.mode;
        request.desc.extent = {lock.start, lock.end, lock.gid};
        request.handles = {lock.client_cookie, lock.server_cookie};
        return ptlrpc::encode_ldlm_request(request);
    }

    static uint64_t glimpsed_size(const std::optional<AstReply>& reply)
    {
        if (!reply || reply->buffers.empty())
            return 0;
        auto lvb = ptlrpc::decode_ost_lvb(reply->buffers[0]);
        return lvb ? lvb->size_ : 0;
    }

    std::vector<std::byte> lvb_bytes(uint64_t object, uint64_t at_least = 0)
    {
        ptlrpc::OstLvb lvb;
        lvb.size_ = std::max<uint64_t>(_objects[object].size(), at_least);
        return bytes(ptlrpc::encode_ost_lvb(lvb));
    }

    std::vector<std::byte> reply_bytes(const MiniLock& lock, uint32_t flags)
    {
        ptlrpc::LdlmReply reply;
        reply.flags = flags;
        reply.desc.name = {lock.object, 0, 0, 0};
        reply.desc.req_mode = lock.mode;
        reply.desc.granted_mode = lock.granted ? lock.mode : 0;
        reply.desc.extent = {lock.start, lock.end, 0};
        reply.handle = lock.server_cookie;
        return bytes(ptlrpc::encode_ldlm_reply(reply));
    }

    bool conflicts(const MiniLock& a, const MiniLock& b) const
    {
        return a.server_cookie != b.server_cookie && a.object == b.object &&
               !compatible(a.mode, b.mode, a.gid, b.gid) && a.start <= b.end && b.start <= a.end;
    }

    // Grants if nothing granted conflicts; expands unless no_expand or any
    // incompatible lock is granted on the object.
    bool try_grant(MiniLock& lock, uint64_t want_start, uint64_t want_end)
    {
        lock.start = want_start;
        lock.end = want_end;
        bool incompatible_elsewhere = false;
        for (const MiniLock& other : _locks)
            if (other.granted && other.object == lock.object && other.server_cookie != lock.server_cookie &&
                !compatible(other.mode, lock.mode, other.gid, lock.gid)) {
                if (conflicts(other, lock))
                    return false;
                incompatible_elsewhere = true;
            }
        if (!lock.no_expand && !incompatible_elsewhere) {
            lock.start = 0;
            lock.end = ~uint64_t{0};
        }
        lock.granted = true;
        return true;
    }

    void bl_ast(PtlrpcServer& server, MiniLock& holder, const MiniLock& /*blocked*/)
    {
        if (holder.bl_sent)
            return;
        holder.bl_sent = true;
        _log.push_back({"bl_ast", holder.client_cookie});
        server.send_ast(holder.peer, ptlrpc::Opcode::ldlm_bl_callback, {ldlm_request_for(holder)},
                        [](PtlrpcServer&, std::optional<AstReply>) {});
    }

    Answer handle(PtlrpcServer& server, const ServedRequest& request)
    {
        std::lock_guard l(_mutex);
        switch (static_cast<ptlrpc::Opcode>(request.body.opc)) {
        case ptlrpc::Opcode::ldlm_enqueue: return enqueue(server, request);
        case ptlrpc::Opcode::ldlm_cancel: return cancel(server, request);
        case ptlrpc::Opcode::ost_write: return write(server, request);
        case ptlrpc::Opcode::ost_read: return read(server, request);
        case ptlrpc::Opcode::ost_punch:
        case ptlrpc::Opcode::ost_setattr:
        case ptlrpc::Opcode::ost_getattr:
        case ptlrpc::Opcode::ost_sync: return attr(request);
        default: return standard_answer(request);
        }
    }

    Answer enqueue(PtlrpcServer& server, const ServedRequest& request)
    {
        auto decoded = ptlrpc::decode_ldlm_request(request.buffers.at(0));
        EXPECT_TRUE(decoded);
        std::optional<ptlrpc::LdlmRequest> ldlm(*decoded);
        uint64_t cookie = ldlm->handles[0];
        _log.push_back({"enqueue", ldlm->flags, cookie, request.body.flags});
        if (drop_enqueues > 0) {
            --drop_enqueues;
            _log.back().what = "enqueue_dropped";
            return Answer{.drop = true};
        }
        Answer answer;
        for (MiniLock& lock : _locks)  // a resend: answer what we did
            if (lock.client_cookie == cookie && lock.peer == request.peer) {
                answer.buffers = {reply_bytes(lock, lock.granted ? 0 : ptlrpc::ldlm_flag::block_granted),
                                  lvb_bytes(lock.object)};
                return answer;
            }
        MiniLock lock{_next_cookie++, cookie, request.peer, ldlm->desc.name[0], ldlm->desc.req_mode};
        bool speculative = ldlm->flags & ptlrpc::ldlm_flag::speculative;
        lock.no_expand = (ldlm->flags & ptlrpc::ldlm_flag::no_expansion) || speculative;
        if (lock.mode == ptlrpc::lock_mode::group) {
            lock.gid = ldlm->desc.extent.gid;
            ldlm->desc.extent.start = 0;
            ldlm->desc.extent.end = ~uint64_t{0};
            lock.no_expand = true;
        }
        if (speculative) {
            lock.start = ldlm->desc.extent.start;
            lock.end = ldlm->desc.extent.end;
            for (const MiniLock& other : _locks)
                if (conflicts(other, lock)) {  // granted or waiting: "would block", no trace
                    --_next_cookie;
                    _log.push_back({"refused", lock.start, cookie});
                    answer.params.status = -11;
                    answer.buffers = {reply_bytes(lock, 0)};
                    return answer;
                }
        }
        bool glimpse = ldlm->flags & ptlrpc::ldlm_flag::has_intent;
        if (glimpse) {
            lock.start = 0;
            lock.end = ~uint64_t{0};
            for (MiniLock& holder : _locks)
                if (holder.granted && conflicts(holder, lock))
                    return glimpse_holder(server, request, holder, lock);
        }
        uint64_t want_start = ldlm->desc.extent.start, want_end = ldlm->desc.extent.end;
        if (try_grant(lock, want_start, want_end)) {
            _log.push_back({"grant", lock.start, lock.end});
            _locks.push_back(lock);
            uint32_t changed = (lock.start != want_start || lock.end != want_end) ? ptlrpc::ldlm_flag::lock_changed : 0;
            answer.buffers = {reply_bytes(lock, changed), lvb_bytes(lock.object)};
            return answer;
        }
        _log.push_back({"wait", want_start, want_end});
        _locks.push_back(lock);
        for (MiniLock& holder : _locks)
            if (holder.granted && conflicts(holder, lock))
                bl_ast(server, holder, lock);
        answer.buffers = {reply_bytes(lock, ptlrpc::ldlm_flag::block_granted), lvb_bytes(lock.object)};
        return answer;
    }

    Answer glimpse_holder(PtlrpcServer& server, const ServedRequest& request, const MiniLock& holder, MiniLock lock)
    {
        _log.push_back({"gl_ast", holder.client_cookie});
        server.send_ast(holder.peer, ptlrpc::Opcode::ldlm_gl_callback, {ldlm_request_for(holder)},
                        [this, request, lock](PtlrpcServer& s, std::optional<AstReply> reply) {
                            std::lock_guard l(_mutex);
                            uint64_t size = glimpsed_size(reply);
                            _log.push_back({"gl_reply", 0, size});
                            Answer answer;
                            answer.params.status = ptlrpc::eldlm_lock_aborted;
                            answer.buffers = {reply_bytes(lock, 0), lvb_bytes(lock.object, size)};
                            s.reply(request, answer);
                        });
        return Answer{.defer = true};
    }

    Answer cancel(PtlrpcServer& server, const ServedRequest& request)
    {
        auto ldlm = ptlrpc::decode_ldlm_request(request.buffers.at(0));
        EXPECT_TRUE(ldlm);
        uint64_t server_cookie = ldlm->handles[0];
        auto it = std::find_if(_locks.begin(), _locks.end(),
                               [&](const MiniLock& l) { return l.server_cookie == server_cookie; });
        if (it != _locks.end()) {
            _log.push_back({"cancel", it->client_cookie, server_cookie});
            _locks.erase(it);
        }
        for (MiniLock& waiter : _locks)
            if (!waiter.granted && try_grant(waiter, waiter.start, waiter.end)) {
                _log.push_back({"cp_ast", waiter.client_cookie});
                ptlrpc::OstLvb lvb;
                lvb.size_ = _objects[waiter.object].size();
                server.send_ast(waiter.peer, ptlrpc::Opcode::ldlm_cp_callback,
                                {ldlm_request_for(waiter), bytes(ptlrpc::encode_ost_lvb(lvb))},
                                [](PtlrpcServer&, std::optional<AstReply>) {});
            }
        return Answer{};
    }

    Answer write(PtlrpcServer& server, const ServedRequest& request)
    {
        auto body = ptlrpc::decode_obdo(request.buffers.at(0));
        auto niobufs = ptlrpc::decode_niobufs(request.buffers.at(2));
        std::vector<int32_t> rcs;
        uint32_t md_offset = 0;
        for (const auto& nb : *niobufs) {
            auto data = server.bulk_get(request.peer, request.body.mbits, md_offset, nb.len);
            md_offset += nb.len;
            rcs.push_back(data ? 0 : -5);
            if (!data)
                continue;
            auto& object = _objects[body->id];
            if (object.size() < nb.offset + nb.len)
                object.resize(nb.offset + nb.len);
            std::copy(data->begin(), data->end(), object.begin() + nb.offset);
            _log.push_back({"write", nb.offset, nb.len, body->handle});
        }
        Answer answer;
        answer.buffers = {bytes(ptlrpc::encode_obdo(*body)), ptlrpc::encode_write_rcs(rcs)};
        return answer;
    }

    Answer read(PtlrpcServer& server, const ServedRequest& request)
    {
        auto body = ptlrpc::decode_obdo(request.buffers.at(0));
        auto niobufs = ptlrpc::decode_niobufs(request.buffers.at(2));
        const auto& object = _objects[body->id];
        uint32_t md_offset = 0;
        int32_t total = 0;
        for (const auto& nb : *niobufs) {
            uint64_t end = std::min<uint64_t>(object.size(), nb.offset + nb.len);
            if (end > nb.offset) {
                std::vector<std::byte> data(object.begin() + nb.offset, object.begin() + end);
                if (!server.bulk_put(request.peer, request.body.mbits, md_offset, data))
                    total = -5;
                else if (total >= 0)
                    total += static_cast<int32_t>(data.size());
            }
            _log.push_back({"read", nb.offset, nb.len, body->handle});
            md_offset += nb.len;
        }
        Answer answer;
        answer.params.status = total;
        answer.buffers = {bytes(ptlrpc::encode_obdo(*body))};
        return answer;
    }

    Answer attr(const ServedRequest& request)
    {
        auto body = ptlrpc::decode_obdo(request.buffers.at(0));
        auto& object = _objects[body->id];
        auto opc = static_cast<ptlrpc::Opcode>(request.body.opc);
        if (opc == ptlrpc::Opcode::ost_punch) {
            _log.push_back({"punch", body->size_, body->blocks});
            if (body->blocks == ~uint64_t{0} && object.size() > body->size_)
                object.resize(body->size_);
        } else if (opc == ptlrpc::Opcode::ost_setattr && (body->valid & ptlrpc::obd_md::size)) {
            object.resize(body->size_);
        } else if (opc == ptlrpc::Opcode::ost_sync) {
            _log.push_back({"sync"});
        }
        ptlrpc::Obdo out = *body;
        out.valid |= ptlrpc::obd_md::size;
        out.size_ = object.size();
        Answer answer;
        answer.buffers = {bytes(ptlrpc::encode_obdo(out))};
        return answer;
    }

    mutable std::mutex _mutex;
    std::map<uint64_t, std::vector<std::byte>> _objects;
    std::vector<MiniLock> _locks;
    std::vector<LogEntry> _log;
    uint64_t _next_cookie = 0x5e000001;
};

}  // namespace ostd::client::testing
