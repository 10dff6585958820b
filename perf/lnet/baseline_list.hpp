// BENCHMARK-ONLY BASELINE, not used by ostd: matching as Lustre did before the
// match-unique hash, one list of MEs per portal searched linearly.
#pragma once

#include <array>

#include "perf/lnet/baseline_me_list.hpp"

namespace ostd::perf::lnet {

class BaselineList {
public:
    void attach(const MatchSpec& me, const MdSpec& spec, Position position)
    {
        _portals[me.portal].insert(baseline_md(me, spec), position);
    }

    ostd::lnet::MatchOutcome match(const MatchRequest& request) const
    {
        if (request.portal >= ostd::lnet::portal_count)
            return {};
        return _portals[request.portal].match(request);
    }

private:
    std::array<BaselineMeList, ostd::lnet::portal_count> _portals;
};

}  // namespace ostd::perf::lnet
