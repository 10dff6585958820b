// Every opcode ostd knows, so a fuzz input can name one by index and the
// seed writer can write a request and a reply for each.
#pragma once

#include <array>

#include "lnet_core/ptlrpc/opcodes.hpp"

namespace ostd::fuzz {

using ostd::lnet::ptlrpc::Opcode;

inline constexpr std::array known_opcodes{
    Opcode::ost_getattr,     Opcode::ost_setattr,      Opcode::ost_read,         Opcode::ost_write,
    Opcode::ost_connect,     Opcode::ost_disconnect,   Opcode::ost_punch,        Opcode::ost_sync,
    Opcode::ost_ladvise,     Opcode::ldlm_enqueue,     Opcode::ldlm_convert,     Opcode::ldlm_cancel,
    Opcode::ldlm_bl_callback, Opcode::ldlm_cp_callback, Opcode::ldlm_gl_callback, Opcode::obd_ping,
};

}  // namespace ostd::fuzz
