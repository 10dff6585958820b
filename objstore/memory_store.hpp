// The `memory` backend: objects in RAM, data in fixed-size pages held in an
// ordered map per object, so a sparse object costs only the pages written.
// The object table is split into shards, each behind a reader-writer lock held
// only to find, add or drop an object; each object has its own reader-writer
// lock (reads share it, writes and size changes take it alone). A byte budget
// caps the pages of all objects together: past it, writes fail with ENOSPC.
#pragma once

#include "objstore/object_store.hpp"

namespace ostd::objstore {

// Checks the memory settings of `config` (page size) and builds the store.
lnet::Result<ObjectStorePtr, std::string> make_memory_store(const ObjectStoreConfig& config);

}  // namespace ostd::objstore
