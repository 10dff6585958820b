#include "control/cli/command_set.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cmdline.h>
#include <cstdlib>
#include <cstring>

namespace ostd::control::cli {
namespace {

thread_local Session* current_session = nullptr;

constexpr size_t word_slot = sizeof(cmdline_fixed_string_t);

}  // namespace

void Session::write(std::string_view text) const
{
    while (!text.empty()) {
        ssize_t n = ::send(_out_fd, text.data(), text.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK)
            n = ::write(_out_fd, text.data(), text.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;  // the peer went away: nothing more to say
        text.remove_prefix(static_cast<size_t>(n));
    }
}

void Session::show(const Value& answer) const
{
    write(_format == Format::json ? render_json(answer) : render_text(answer));
}

void Session::error(std::string_view message) const
{
    if (_format == Format::json)
        write(render_json(Value::object().set("error", message)));
    else
        write("error: " + std::string(message) + "\n");
}

SessionScope::SessionScope(Session& session) : _previous(current_session) { current_session = &session; }
SessionScope::~SessionScope() { current_session = _previous; }

// One instruction: its tokens and the cmdline_inst (with its flexible token
// array) rte_cmdline reads, kept at stable addresses.
struct CommandSet::Command {
    std::vector<std::string> words;
    std::string help;
    Handler handler;
    std::vector<cmdline_parse_token_string_t> tokens;
    cmdline_parse_inst_t* inst = nullptr;

    ~Command() { std::free(inst); }

    static void dispatch(void* result, struct cmdline*, void* data)
    {
        auto* command = static_cast<Command*>(data);
        if (current_session == nullptr)
            return;
        Words parsed;
        for (size_t i = 0; i < command->tokens.size(); ++i)
            parsed.emplace_back(static_cast<const char*>(result) + i * word_slot);
        command->handler(*current_session, parsed);
    }
};

CommandSet::CommandSet() = default;
CommandSet::~CommandSet() = default;

void CommandSet::add(std::vector<std::string> words, std::string help, Handler handler)
{
    auto command = std::make_unique<Command>();
    command->words = std::move(words);
    command->help = std::move(help);
    command->handler = std::move(handler);
    command->tokens.resize(command->words.size());
    for (size_t i = 0; i < command->words.size(); ++i) {
        auto& token = command->tokens[i];
        token.hdr.ops = &cmdline_token_string_ops;
        token.hdr.offset = static_cast<unsigned>(i * word_slot);
        token.string_data.str = command->words[i] == "*" ? nullptr : command->words[i].c_str();
    }
    size_t size = sizeof(cmdline_parse_inst_t) + (command->tokens.size() + 1) * sizeof(cmdline_parse_token_hdr_t*);
    command->inst = static_cast<cmdline_parse_inst_t*>(std::calloc(1, size));
    command->inst->f = &Command::dispatch;
    command->inst->data = command.get();
    command->inst->help_str = command->help.c_str();
    for (size_t i = 0; i < command->tokens.size(); ++i)
        command->inst->tokens[i] = &command->tokens[i].hdr;
    command->inst->tokens[command->tokens.size()] = nullptr;

    _context.back() = command->inst;
    _context.push_back(nullptr);
    _commands.push_back(std::move(command));
}

std::vector<CommandSet::Entry> CommandSet::entries() const
{
    std::vector<Entry> out;
    for (const auto& command : _commands) {
        std::string syntax;
        for (const std::string& word : command->words) {
            std::string shown = word == "*" ? "<arg>" : word;
            if (shown.find('#') != std::string::npos) {
                for (char& c : shown)
                    c = c == '#' ? '|' : c;
            }
            syntax += (syntax.empty() ? "" : " ") + shown;
        }
        out.push_back({syntax, command->help});
    }
    return out;
}

void execute_line(struct cmdline* line, Session& session, std::string_view text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    if (text.empty() || text.front() == '#')
        return;
    if (text.size() >= CMDLINE_PARSE_RESULT_BUFSIZE / 2) {
        session.error("line too long");
        return;
    }
    SessionScope scope(session);
    session.bind(line);
    std::string buffer = std::string(text) + "\n";
    int status = cmdline_parse(line, buffer.c_str());
    // rte_cmdline says BAD_ARGS when a prefix of the words matched ("show foo"):
    // with commands made of fixed words, that is an unknown command too.
    if (status == CMDLINE_PARSE_AMBIGUOUS)
        session.error("ambiguous command '" + std::string(text) + "' (try help)");
    else if (status == CMDLINE_PARSE_NOMATCH || status == CMDLINE_PARSE_BAD_ARGS)
        session.error("unknown command '" + std::string(text) + "' (try help)");
}

}  // namespace ostd::control::cli
