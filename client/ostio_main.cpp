// ostio: the ostd client tool. Subcommands live in client/ostio/.
#include <iostream>
#include <string_view>
#include <vector>

#include "client/ostio/commands.hpp"

int main(int argc, char** argv)
{
    std::vector<std::string_view> args(argv + 1, argv + argc);
    return ostd::client::ostio::dispatch(args, {std::cout, std::cerr});
}
