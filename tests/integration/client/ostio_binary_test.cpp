// The real `ostio` binary against an in-test LNET responder on 127.0.0.1:
// what a script calling it sees (stdout, stderr, exit status).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/client/loopback_node.hpp"

using namespace ostd;
using namespace ostd::client;
using namespace ostd::client::testing;

extern char** environ;

namespace {

struct Process {
    int status = -1;  // exit code, or -1 if it did not exit normally
    std::string out;
    std::string err;
};

std::string drain(int fd)
{
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0)
        text.append(buffer, static_cast<size_t>(n));
    ::close(fd);
    return text;
}

// Runs ostio with args; no shell. Output is small, so reading stdout to the
// end before stderr cannot deadlock.
Process run_ostio(std::vector<std::string> args)
{
    args.insert(args.begin(), OSTIO_BINARY);
    std::vector<char*> argv;
    for (std::string& arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);

    int out[2], err[2];
    EXPECT_EQ(::pipe2(out, O_CLOEXEC), 0);
    EXPECT_EQ(::pipe2(err, O_CLOEXEC), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    Process result;
    EXPECT_EQ(rc, 0) << "cannot start " << argv[0];
    result.out = drain(out[0]);
    result.err = drain(err[0]);
    int status = 0;
    if (rc == 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status))
        result.status = WEXITSTATUS(status);
    return result;
}

}  // namespace

TEST(OstioBinary, PingPrintsThePeerAndExitsZero)
{
    PingResponder responder(lnet::encode_ping_info(sample_ping_info(2)));
    Process run = run_ostio({"ping", "127.0.0.1@tcp", "--port", std::to_string(responder.port()), "--count", "2"});
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_NE(run.out.find("peer 12345-127.0.0.1@tcp: pid 12345, features 0x3 (base,ni_status), 3 NIs"),
              std::string::npos)
        << run.out;
    EXPECT_NE(run.out.find("127.0.0.2@tcp         DOWN"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("2 of 2 replied, round trip min/avg/max "), std::string::npos) << run.out;
    EXPECT_EQ(run.err, "");
    // One GET answered per ping, nothing else.
    const auto& counters = responder.counters();
    EXPECT_TRUE(eventually([&] { return counters.sent[static_cast<size_t>(lnet::MsgType::reply)].get() == 2; }));
    EXPECT_EQ(counters.drops.total(), 0u);
}

TEST(OstioBinary, JsonOutputIsOneLine)
{
    PingResponder responder;
    Process run = run_ostio({"ping", "127.0.0.1@tcp", "--port", std::to_string(responder.port()), "--json"});
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_TRUE(run.out.starts_with("{\"target\":\"12345-127.0.0.1@tcp\"")) << run.out;
    EXPECT_NE(run.out.find("\"replied\":1,"), std::string::npos) << run.out;
    EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1);
}

TEST(OstioBinary, TimeoutExitsOneWithTheReason)
{
    UdpSocket silent = black_hole();
    Process run = run_ostio({"ping", "127.0.0.1@tcp", "--port", std::to_string(silent.local().port), "--timeout", "200"});
    EXPECT_EQ(run.status, 1);
    EXPECT_EQ(run.err, "ostio ping: no reply from 127.0.0.1@tcp within 200 ms\n");
    EXPECT_EQ(run.out, "");
}

TEST(OstioBinary, BadArgumentsExitTwoWithUsage)
{
    Process run = run_ostio({"ping", "127.0.0.1@tcp", "--port", "x"});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find("bad --port 'x'"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("usage: ostio ping"), std::string::npos) << run.err;

    Process help = run_ostio({"--help"});
    EXPECT_EQ(help.status, 0);
    EXPECT_NE(help.out.find("ping"), std::string::npos);
}
