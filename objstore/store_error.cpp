#include "objstore/store_error.hpp"

#include <cstdio>
#include <cstring>

namespace ostd::objstore {

std::string StoreError::message() const
{
    char text[160];
    std::snprintf(text, sizeof(text), "%s object %#llx at offset %llu: ", op,
                  static_cast<unsigned long long>(object), static_cast<unsigned long long>(offset));
    return std::string(text) + std::strerror(code);
}

}  // namespace ostd::objstore
