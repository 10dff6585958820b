#include "client/layout.hpp"

#include <algorithm>

namespace ostd::client {

lnet::Result<Layout, std::string> Layout::make(uint64_t stripe_size, std::vector<StripeTarget> stripes)
{
    if (stripe_size == 0)
        return std::string("the stripe size must be at least 1 byte");
    if (stripes.empty() || stripes.size() > max_stripe_count)
        return "a layout has 1 to " + std::to_string(max_stripe_count) + " stripes, not " +
               std::to_string(stripes.size());
    for (size_t i = 0; i < stripes.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            if (stripes[i].appliance == stripes[j].appliance && stripes[i].port == stripes[j].port &&
                stripes[i].object == stripes[j].object)
                return "stripes " + std::to_string(j) + " and " + std::to_string(i) +
                       " name the same object on the same appliance";
    return Layout(stripe_size, std::move(stripes));
}

StripeOffset Layout::to_object(uint64_t file_offset) const
{
    uint64_t unit = file_offset / _stripe_size;
    return {static_cast<uint32_t>(unit % stripe_count()),
            unit / stripe_count() * _stripe_size + file_offset % _stripe_size};
}

uint64_t Layout::to_file(uint32_t stripe, uint64_t object_offset) const
{
    uint64_t row = object_offset / _stripe_size;
    return row * stripe_width() + stripe * _stripe_size + object_offset % _stripe_size;
}

std::vector<StripePiece> Layout::split(uint64_t offset, uint64_t length) const
{
    std::vector<StripePiece> pieces;
    for (uint64_t at = offset, end = offset + length; at < end;) {
        uint64_t unit_end = (at / _stripe_size + 1) * _stripe_size;
        uint64_t piece = std::min(end, unit_end) - at;
        StripeOffset where = to_object(at);
        pieces.push_back({where.stripe, at, where.object_offset, piece});
        at += piece;
    }
    return pieces;
}

std::optional<Extent> Layout::object_extent(uint32_t stripe, Extent file) const
{
    const uint64_t count = stripe_count();
    // The first byte of the stripe at or after file.start.
    uint64_t unit = file.start / _stripe_size, row = unit / count, column = unit % count;
    uint64_t first = column == stripe ? file.start
                     : column < stripe ? (row * count + stripe) * _stripe_size
                                       : ((row + 1) * count + stripe) * _stripe_size;
    if (first > file.end)
        return std::nullopt;
    if (file.end == object_eof)
        return Extent{to_object(first).object_offset, object_eof};
    // The last byte of the stripe at or before file.end.
    unit = file.end / _stripe_size, row = unit / count, column = unit % count;
    uint64_t last;
    if (column == stripe)
        last = file.end;
    else if (column > stripe)
        last = (row * count + stripe + 1) * _stripe_size - 1;
    else if (row > 0)
        last = ((row - 1) * count + stripe + 1) * _stripe_size - 1;
    else
        return std::nullopt;
    if (last < first)
        return std::nullopt;
    return Extent{to_object(first).object_offset, to_object(last).object_offset};
}

uint64_t Layout::file_size(uint32_t stripe, uint64_t object_size) const
{
    return object_size == 0 ? 0 : to_file(stripe, object_size - 1) + 1;
}

uint64_t Layout::file_size(std::span<const uint64_t> object_sizes) const
{
    uint64_t size = 0;
    for (uint32_t i = 0; i < object_sizes.size() && i < stripe_count(); ++i)
        size = std::max(size, file_size(i, object_sizes[i]));
    return size;
}

}  // namespace ostd::client
