// The commands the CLI knows, built as rte_cmdline instructions from their
// words, and the session a command runs in (where its output goes, in which
// format). Each command group registers its commands into one CommandSet;
// the front ends (stdin, unix socket) parse lines against its context.
#pragma once

#include <cmdline_parse.h>
#include <cmdline_parse_string.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "control/appliance_context.hpp"
#include "control/cli/output.hpp"

struct cmdline;

namespace ostd::control::cli {

enum class Format { text, json };

class CommandSet;

// One front end's conversation: stdin, or one socket connection.
class Session {
public:
    Session(ApplianceContext& context, const CommandSet& commands, int out_fd)
        : _context(context), _commands(commands), _out_fd(out_fd) {}

    ApplianceContext& context() const { return _context; }
    const CommandSet& commands() const { return _commands; }
    Format format() const { return _format; }
    void set_format(Format format) { _format = format; }

    void write(std::string_view text) const;
    void show(const Value& answer) const;  // in the session's format
    void error(std::string_view message) const;  // "error: ..." or {"error": "..."}
    // A command that ends the conversation (quit) asks for it here.
    void end() { _ended = true; }
    bool ended() const { return _ended; }
    struct cmdline* line() const { return _line; }
    void bind(struct cmdline* line) { _line = line; }

private:
    ApplianceContext& _context;
    const CommandSet& _commands;
    int _out_fd;
    Format _format = Format::text;
    bool _ended = false;
    struct cmdline* _line = nullptr;
};

// Words of the parsed line, one per token ("show", "port", ...).
using Words = std::vector<std::string>;
using Handler = std::function<void(Session&, const Words&)>;

class CommandSet {
public:
    CommandSet();
    CommandSet(const CommandSet&) = delete;
    CommandSet& operator=(const CommandSet&) = delete;
    ~CommandSet();

    // words: fixed words; "a#b" accepts either; "*" any one word.
    void add(std::vector<std::string> words, std::string help, Handler handler);
    // The null-terminated instruction list rte_cmdline parses against.
    cmdline_parse_ctx_t* context() { return _context.data(); }

    struct Entry {
        std::string syntax;  // "show port stats all"
        std::string help;
    };
    std::vector<Entry> entries() const;

private:
    struct Command;
    std::vector<std::unique_ptr<Command>> _commands;
    std::vector<cmdline_parse_inst_t*> _context{nullptr};
};

// Runs one line against set's context in session (binding the session for
// the handlers); an unknown, ambiguous or malformed line answers an error.
void execute_line(struct cmdline* line, Session& session, std::string_view text);

// The session the running handler belongs to (set by execute_line and by the
// interactive front end around cmdline_in).
class SessionScope {
public:
    explicit SessionScope(Session& session);
    ~SessionScope();
    SessionScope(const SessionScope&) = delete;
    SessionScope& operator=(const SessionScope&) = delete;

private:
    Session* _previous;
};

}  // namespace ostd::control::cli
