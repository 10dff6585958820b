// The `file` backend: one sparse file per object, `<directory>/<id as 16 hex
// digits>`. pwrite/pread for data, fsync for sync, fallocate(PUNCH_HOLE |
// KEEP_SIZE) for punch, ftruncate for set_size, fstat for attributes. Open
// descriptors are kept in a bounded LRU cache. Writes to one object are
// serialised by a striped reader-writer lock; reads share it. A new store on
// the same directory serves the same objects (a restart).
#pragma once

#include "objstore/object_store.hpp"

namespace ostd::objstore {

// Creates the directory if needed and checks it can be used.
lnet::Result<ObjectStorePtr, std::string> make_file_store(const ObjectStoreConfig& config);

}  // namespace ostd::objstore
