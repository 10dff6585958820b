#include "objstore/async_store.hpp"

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <cassert>
#include <chrono>
#include <optional>
#include <thread>

namespace ostd::objstore {

std::string_view to_string(StoreOp op)
{
    static constexpr std::string_view names[store_op_count] = {"read",  "write", "getattr", "set_size",
                                                               "punch", "sync",  "remove"};
    return names[static_cast<size_t>(op)];
}

StoreRequest StoreRequest::read(uint64_t object, uint64_t offset, std::span<std::byte> into, uint64_t cookie)
{
    return StoreRequest{StoreOp::read, object, offset, into.size(), into.data(), nullptr, cookie};
}

StoreRequest StoreRequest::write(uint64_t object, uint64_t offset, std::span<const std::byte> from, uint64_t cookie)
{
    return StoreRequest{StoreOp::write, object, offset, from.size(), nullptr, from.data(), cookie};
}

StoreRequest StoreRequest::getattr(uint64_t object, uint64_t cookie)
{
    return StoreRequest{StoreOp::getattr, object, 0, 0, nullptr, nullptr, cookie};
}

StoreRequest StoreRequest::set_size(uint64_t object, uint64_t size, uint64_t cookie)
{
    return StoreRequest{StoreOp::set_size, object, 0, size, nullptr, nullptr, cookie};
}

StoreRequest StoreRequest::punch(uint64_t object, uint64_t start, uint64_t end, uint64_t cookie)
{
    return StoreRequest{StoreOp::punch, object, start, end, nullptr, nullptr, cookie};
}

StoreRequest StoreRequest::sync(uint64_t object, uint64_t cookie)
{
    return StoreRequest{StoreOp::sync, object, 0, 0, nullptr, nullptr, cookie};
}

StoreRequest StoreRequest::remove(uint64_t object, uint64_t cookie)
{
    return StoreRequest{StoreOp::remove, object, 0, 0, nullptr, nullptr, cookie};
}

// ---- StoreChannel: the worker's side ----

StoreChannel::StoreChannel(AsyncStore& owner, size_t depth, size_t rings) : _owner(owner), _depth(depth)
{
    for (size_t i = 0; i < rings; ++i)
        _rings.push_back(std::make_unique<CompletionRing>(depth));
}

bool StoreChannel::submit(const StoreRequest& request)
{
    if (_in_flight >= _depth) {
        _counters.pushbacks.add();
        return false;
    }
    ++_in_flight;
    _counters.accepted.add();
    _owner.start(*this, request);
    return true;
}

size_t StoreChannel::poll_completions(std::span<StoreCompletion> out)
{
    size_t got = 0;
    for (size_t i = 0; i < _rings.size() && got < out.size(); ++i) {
        SpscRing<StoreCompletion>& ring = _rings[(_next_ring + i) % _rings.size()]->ring;
        got += ring.pop_burst(out.subspan(got));
    }
    _next_ring = (_next_ring + 1) % _rings.size();  // no ring always served first
    for (size_t i = 0; i < got; ++i)
        count(out[i]);
    assert(got <= _in_flight);
    _in_flight -= got;
    return got;
}

void StoreChannel::count(const StoreCompletion& completion)
{
    _counters.completed[static_cast<size_t>(completion.op)].add();
    if (completion.status != 0)
        _counters.errors.add();
    else if (completion.op == StoreOp::read)
        _counters.bytes_read.add(completion.bytes);
    else if (completion.op == StoreOp::write)
        _counters.bytes_written.add(completion.bytes);
}

void StoreChannel::deliver(size_t slot, const StoreCompletion& completion)
{
    CompletionRing& target = *_rings[slot % _rings.size()];
    while (target.producing.test_and_set(std::memory_order_acquire))
        std::this_thread::yield();  // another storage thread on this ring: rare and short
    // Cannot fail: the worker never has more in flight than a ring holds.
    [[maybe_unused]] bool pushed = target.ring.try_push(completion);
    assert(pushed);
    target.producing.clear(std::memory_order_release);
}

uint64_t StoreChannel::produced() const
{
    uint64_t total = 0;
    for (auto& ring : _rings)
        total += ring->ring.pushed();
    return total;
}

// ---- AsyncStore: the storage threads' side ----

struct AsyncStore::Threads {
    explicit Threads(size_t threads)
    {
        // Storage threads spend their time blocked in I/O, so they may
        // outnumber the cores; TBB's default would cap them at cores - 1.
        if (tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism) < threads + 1)
            limit.emplace(tbb::global_control::max_allowed_parallelism, threads + 1);
        // No slot reserved for an external thread: workers only enqueue.
        arena.emplace(static_cast<int>(threads), 0);
    }
    std::optional<tbb::global_control> limit;
    std::optional<tbb::task_arena> arena;
};

AsyncStore::AsyncStore(ObjectStore& store, unsigned workers, const ObjectStoreConfig& config)
    : _store(store), _threads(config.threads == 0 ? 1 : config.threads),
      _arena(std::make_unique<Threads>(_threads))
{
    const size_t depth = config.queue_depth == 0 ? 1 : config.queue_depth;
    for (unsigned i = 0; i < workers; ++i)
        _channels.push_back(std::make_unique<StoreChannel>(*this, depth, _threads));
}

AsyncStore::~AsyncStore()
{
    for (auto& channel : _channels)
        while (channel->produced() < channel->counters().accepted.get())
            std::this_thread::sleep_for(std::chrono::microseconds(100));
}

void AsyncStore::start(StoreChannel& channel, const StoreRequest& request)
{
    _arena->arena->enqueue([this, &channel, request] {
        const int slot = tbb::this_task_arena::current_thread_index();
        channel.deliver(slot < 0 ? 0 : static_cast<size_t>(slot), execute(request));
    });
}

namespace {

template <typename T>
void fill(StoreCompletion& completion, const StoreResult<T>& result)
{
    if (!result) {
        completion.status = -result.error().code;
        completion.error = result.error();
    }
}

}  // namespace

StoreCompletion AsyncStore::execute(const StoreRequest& request)
{
    StoreCompletion completion;
    completion.cookie = request.cookie;
    completion.op = request.op;
    const uint64_t id = request.object;
    switch (request.op) {
    case StoreOp::read: {
        auto result = _store.read(id, request.offset, {request.read_into, request.length});
        fill(completion, result);
        completion.bytes = result ? *result : 0;
        break;
    }
    case StoreOp::write: {
        auto result = _store.write(id, request.offset, {request.write_from, request.length});
        fill(completion, result);
        completion.bytes = result ? *result : 0;
        break;
    }
    case StoreOp::getattr:
    case StoreOp::set_size:
    case StoreOp::punch: {
        auto result = request.op == StoreOp::getattr    ? _store.getattr(id)
                      : request.op == StoreOp::set_size ? _store.set_size(id, request.length)
                                                        : _store.punch(id, request.offset, request.length);
        fill(completion, result);
        if (result)
            completion.attr = *result;
        break;
    }
    case StoreOp::sync: fill(completion, _store.sync(id)); break;
    case StoreOp::remove: fill(completion, _store.remove(id)); break;
    }
    return completion;
}

}  // namespace ostd::objstore
