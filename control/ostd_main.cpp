// ostd: the appliance. Its life: configuration, EAL, data plane, services,
// the control loop until told to stop, then everything closed in reverse.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "control/appliance_context.hpp"
#include "control/cli/cli.hpp"
#include "control/config/config_loader.hpp"
#include "control/control_core.hpp"
#include "control/default_config.hpp"
#include "control/eal_args.hpp"
#include "control/ping_service.hpp"
#include "control/telemetry.hpp"
#include "dataplane/dataplane.hpp"
#include "dataplane/eal.hpp"
#include "lnet_core/nid.hpp"

namespace {

std::atomic<bool> quit{false};

void on_signal(int) { quit.store(true); }

struct Options {
    std::string config_path;  // empty: the embedded default
    bool interactive = false;
};

void usage(FILE* out)
{
    std::fprintf(out,
                 "usage: ostd [--config FILE] [-i]\n"
                 "  --config FILE  YAML configuration (default: the embedded configs/tap.yaml)\n"
                 "  -i             interactive command prompt on stdin\n"
                 "  --print-default-config  print the embedded configuration and exit\n");
}

bool parse_options(int argc, char** argv, Options& options)
{
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--config" && i + 1 < argc) {
            options.config_path = argv[++i];
        } else if (arg == "-i" || arg == "--interactive") {
            options.interactive = true;
        } else if (arg == "--print-default-config") {
            std::fputs(ostd::control::default_config_yaml, stdout);
            std::exit(0);
        } else if (arg == "-h" || arg == "--help") {
            usage(stdout);
            std::exit(0);
        } else {
            std::fprintf(stderr, "ostd: unknown argument '%s'\n", arg.c_str());
            usage(stderr);
            return false;
        }
    }
    return true;
}

int fail(const std::string& message)
{
    std::fprintf(stderr, "ostd: %s\n", message.c_str());
    return 1;
}

}  // namespace

int main(int argc, char** argv)
{
    using namespace ostd;
    Options options;
    if (!parse_options(argc, argv, options))
        return 2;
    auto config = options.config_path.empty()
                      ? control::load_config_text(control::default_config_yaml, "<embedded configs/tap.yaml>")
                      : control::load_config_file(options.config_path);
    if (!config)
        return fail(config.error());

    auto eal = dataplane::Eal::init(control::eal_arguments(*config, argv[0]));
    if (!eal)
        return fail(eal.error());
    {
        auto dataplane = dataplane::Dataplane::create(config->dataplane);
        if (!dataplane)
            return fail(dataplane.error());
        if (auto launched = dataplane.value()->launch(); !launched)
            return fail(launched.error());

        control::PingService ping;
        if (auto started = ping.start(*dataplane.value()); !started) {
            dataplane.value()->request_stop();
            return fail(started.error());
        }
        control::ControlCore control(*dataplane.value(), config->services, config->ldlm);
        if (auto started = control.start(); !started) {
            dataplane.value()->request_stop();
            return fail(started.error());
        }
        if (auto started = control.start_objects(config->object_store); !started) {
            dataplane.value()->request_stop();
            return fail(started.error());
        }
        control::ApplianceContext context{*config, *dataplane.value(), control, ping, quit};
        control::TelemetryEndpoints telemetry(context);
        control::cli::Cli cli(context);
        if (auto serving = cli.serve_socket(config->cli.socket_path); !serving) {
            dataplane.value()->request_stop();
            return fail(serving.error());
        }
        std::signal(SIGINT, on_signal);
        std::signal(SIGTERM, on_signal);
        dataplane.value()->set_forwarding(true);  // every service is attached: take packets
        const auto& net = config->dataplane.network;
        std::printf("ostd: serving %s on port %s with %zu worker(s); CLI on %s\n",
                    lnet::format_nid(lnet::Nid::tcp(net.address, net.net_number)).c_str(),
                    dataplane.value()->port().name().c_str(), dataplane.value()->workers().size(),
                    config->cli.socket_path.c_str());
        std::fflush(stdout);
        if (options.interactive)
            cli.start_interactive();

        control.run(quit);

        std::printf("ostd: stopping\n");
        cli.stop();
        dataplane.value()->request_stop();
        dataplane.value()->wait();
    }  // workers, port and pool released before EAL cleanup
    std::printf("ostd: stopped cleanly\n");
    return 0;
}
