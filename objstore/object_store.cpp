#include "objstore/object_store.hpp"

#include "objstore/file_store.hpp"
#include "objstore/memory_store.hpp"

namespace ostd::objstore {

std::optional<StoreKind> parse_store_kind(std::string_view name)
{
    if (name == "memory")
        return StoreKind::memory;
    if (name == "file")
        return StoreKind::file;
    return std::nullopt;
}

std::string_view to_string(StoreKind kind)
{
    return kind == StoreKind::memory ? "memory" : "file";
}

lnet::Result<ObjectStorePtr, std::string> make_object_store(const ObjectStoreConfig& config)
{
    switch (config.kind) {
    case StoreKind::memory: return make_memory_store(config);
    case StoreKind::file: return make_file_store(config);
    }
    return std::string("object_store.kind: unknown backend");
}

}  // namespace ostd::objstore
