#include "control/ping_service.hpp"

#include <atomic>

#include "lnet_core/ping_info.hpp"

namespace ostd::control {

lnet::Result<bool, std::string> PingService::start(dataplane::Dataplane& dataplane)
{
    const auto& config = dataplane.config();
    lnet::Nid self = lnet::Nid::tcp(config.network.address, config.network.net_number);
    _info = lnet::PingInfo{lnet::ping_features, lnet::lustre_pid,
                           {{*lnet::parse_nid("0@lo"), lnet::ni_status_up, 0},
                            {self, lnet::ni_status_up, config.lnet.max_payload}}};
    _buffers.assign(dataplane.workers().size(), lnet::encode_ping_info(_info));

    std::atomic<bool> attached{true};  // written by the workers, read after all finished
    bool ran = dataplane.run_on_workers(
        [&](dataplane::Worker& worker) {
            // manage_remote, as Lustre's ping MD: every GET reads from the
            // offset it asks for, instead of where the last one stopped.
            lnet::MdSpec md{_buffers[worker.index()],
                            lnet::md_option::op_get | lnet::md_option::truncate | lnet::md_option::manage_remote,
                            lnet::threshold_infinite, 0, false, nullptr, 0};
            lnet::MatchSpec me{lnet::ping_portal, lnet::ProcessId::any(), lnet::ping_match_bits, 0};
            if (!worker.endpoint().attach(me, md, lnet::Position::after, worker.tx()))
                attached = false;  // read after every command completed
        },
        std::chrono::seconds(5));
    if (!ran)
        return std::string("ping target: a worker did not answer within 5 s");
    if (!attached)
        return std::string("ping target: portal 0 refused the ping ME");
    return true;
}

}  // namespace ostd::control
