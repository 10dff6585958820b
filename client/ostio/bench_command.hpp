// `ostio bench strided`: N client processes write alternate blocks of one
// object (the shared-file strided workload of DESIGN.md 1 and 6), with server
// lock expansion, no-expand, lockahead, or one object each (file per process).
#pragma once

#include "client/ostio/command.hpp"

namespace ostd::client::ostio {

Command bench_command();

}  // namespace ostd::client::ostio
