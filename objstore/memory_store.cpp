#include "objstore/memory_store.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "objstore/memory_object.hpp"

namespace ostd::objstore {

namespace {

using ObjectPtr = std::shared_ptr<MemoryObject>;

// A slice of the object table. Its lock is held only to find, add or remove an
// object, never across data copies. Sharded std maps rather than
// tbb::concurrent_hash_map because `show objects` walks the table while
// workers insert and remove, which TBB's map does not allow.
struct alignas(64) Shard {
    std::shared_mutex lock;
    std::unordered_map<uint64_t, ObjectPtr> objects;
};

class MemoryStore final : public ObjectStore {
public:
    explicit MemoryStore(const ObjectStoreConfig& config)
        : _budget(config.memory_limit), _page_size(config.page_size) {}

    StoreKind kind() const override { return StoreKind::memory; }

    StoreResult<size_t> write(uint64_t id, uint64_t offset, std::span<const std::byte> data) override
    {
        if (offset > max_object_size - std::min<uint64_t>(data.size(), max_object_size))
            return store_error(EFBIG, "write", id, offset);
        ObjectPtr object = find_or_create(id);
        std::unique_lock guard(object->lock());
        if (!object->write(offset, data))
            return store_error(ENOSPC, "write", id, offset);
        return data.size();
    }

    StoreResult<size_t> read(uint64_t id, uint64_t offset, std::span<std::byte> out) override
    {
        ObjectPtr object = find(id);
        if (!object)
            return store_error(ENOENT, "read", id, offset);
        std::shared_lock guard(object->lock());
        object->touch_atime();
        return object->read(offset, out);
    }

    StoreResult<ObjectAttr> getattr(uint64_t id) override
    {
        ObjectPtr object = find(id);
        if (!object)
            return store_error(ENOENT, "getattr", id);
        std::shared_lock guard(object->lock());
        return object->attr();
    }

    StoreResult<ObjectAttr> set_size(uint64_t id, uint64_t size) override
    {
        if (size > max_object_size)
            return store_error(EFBIG, "set_size", id, size);
        ObjectPtr object = find_or_create(id);
        std::unique_lock guard(object->lock());
        object->set_size(size);
        return object->attr();
    }

    StoreResult<ObjectAttr> punch(uint64_t id, uint64_t start, uint64_t end) override
    {
        if (end < start)
            return store_error(EINVAL, "punch", id, start);
        ObjectPtr object = find(id);
        if (!object)
            return store_error(ENOENT, "punch", id, start);
        std::unique_lock guard(object->lock());
        object->punch(start, end);
        return object->attr();
    }

    StoreResult<Done> sync(uint64_t id) override
    {
        if (!find(id))
            return store_error(ENOENT, "sync", id);
        return Done{};
    }

    StoreResult<Done> remove(uint64_t id) override
    {
        Shard& shard = shard_of(id);
        std::unique_lock guard(shard.lock);
        // In-flight operations keep their reference; the pages go with the last.
        if (shard.objects.erase(id) == 0)
            return store_error(ENOENT, "remove", id);
        return Done{};
    }

    std::vector<ObjectInfo> list() override
    {
        std::vector<ObjectInfo> rows;
        for (Shard& shard : _shards) {
            std::shared_lock guard(shard.lock);
            for (auto& [id, object] : shard.objects) {
                std::shared_lock object_guard(object->lock());
                rows.push_back(ObjectInfo{id, object->size(), object->blocks()});
            }
        }
        std::sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.id < b.id; });
        return rows;
    }

private:
    static constexpr size_t shard_count = 64;

    Shard& shard_of(uint64_t id)
    {
        // Fibonacci hashing: consecutive ids land on different shards.
        return _shards[(id * 0x9E3779B97F4A7C15ull) >> 58];
    }

    ObjectPtr find(uint64_t id)
    {
        Shard& shard = shard_of(id);
        std::shared_lock guard(shard.lock);
        auto it = shard.objects.find(id);
        return it == shard.objects.end() ? nullptr : it->second;
    }

    ObjectPtr find_or_create(uint64_t id)
    {
        if (ObjectPtr object = find(id))
            return object;
        Shard& shard = shard_of(id);
        std::unique_lock guard(shard.lock);
        ObjectPtr& slot = shard.objects[id];
        if (!slot)
            slot = std::make_shared<MemoryObject>(_budget, _page_size);
        return slot;
    }

    MemoryBudget _budget;  // declared before the shards: objects release into it
    const size_t _page_size;
    std::array<Shard, shard_count> _shards;
};

}  // namespace

lnet::Result<ObjectStorePtr, std::string> make_memory_store(const ObjectStoreConfig& config)
{
    const size_t page = config.page_size;
    if (page < 512 || (page & (page - 1)) != 0)
        return std::string("object_store.page_size: ") + std::to_string(page) +
               " is not a power of two of at least 512";
    return ObjectStorePtr(std::make_unique<MemoryStore>(config));
}

}  // namespace ostd::objstore
