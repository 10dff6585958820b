// Process commands: forwarding on/off, quit, help, output format.
//
//   start                 -> {"forwarding": true}
//   stop                  -> {"forwarding": false}
//   quit                  -> {"quit": true}           (ostd then exits cleanly)
//   help                  -> {"commands": [{"command": "show port stats all", "help": "..."}, ...]}
//   set output json|text  -> nothing; later answers of this session use that format
#include <cmdline.h>

#include "control/cli/command_groups.hpp"

namespace ostd::control::cli {
namespace {

void set_forwarding(Session& session, bool on)
{
    session.context().dataplane.set_forwarding(on);
    session.show(Value::object().set("forwarding", session.context().dataplane.forwarding()));
}

void quit(Session& session)
{
    session.show(Value::object().set("quit", true));
    session.context().quit.store(true);
    session.end();
    if (session.line() != nullptr)
        cmdline_quit(session.line());
}

void help(Session& session)
{
    auto list = Value::array();
    for (const auto& entry : session.commands().entries())
        list.add(Value::object().set("command", entry.syntax).set("help", entry.help));
    if (session.format() == Format::json) {
        session.show(Value::object().set("commands", std::move(list)));
        return;
    }
    std::string text;
    for (const auto& entry : session.commands().entries())
        text += "  " + entry.syntax + std::string(entry.syntax.size() < 24 ? 24 - entry.syntax.size() : 1, ' ') +
                entry.help + "\n";
    session.write(text);
}

}  // namespace

void register_process_commands(CommandSet& commands)
{
    commands.add({"start"}, "start forwarding (workers serve packets)",
                 [](Session& s, const Words&) { set_forwarding(s, true); });
    commands.add({"stop"}, "stop forwarding (workers leave RX queues unread; commands still run)",
                 [](Session& s, const Words&) { set_forwarding(s, false); });
    commands.add({"quit"}, "stop ostd cleanly", [](Session& s, const Words&) { quit(s); });
    commands.add({"help"}, "list the commands", [](Session& s, const Words&) { help(s); });
    commands.add({"set", "output", "json#text"}, "answer this session in JSON or text",
                 [](Session& s, const Words& words) { s.set_format(words[2] == "json" ? Format::json : Format::text); });
}

}  // namespace ostd::control::cli
