// The subcommand table of the newsclaim CLI: each command registers its options on a
// CLI11 subcommand and runs against the libraries. Only main.cc turns results into exit
// codes and messages.
#ifndef NEWSCLAIM_CLI_COMMAND_H_
#define NEWSCLAIM_CLI_COMMAND_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace CLI {
class App;
}

namespace newsclaim::cli {

// Process exit statuses.
inline constexpr int kExitOk = 0;          // all good
inline constexpr int kExitSomeFailed = 1;  // some documents failed; each failure recorded
inline constexpr int kExitRunError = 2;    // usage or run-level error
// -- issue 5: cron lock --
inline constexpr int kExitLocked = 3;  // another run holds the database lock; nothing done

// Options every subcommand shares.
struct GlobalOptions {
  std::string rules_dir;  // --rules; empty = NEWSCLAIM_RULES, then the built-in default
};

// What a command's run function returns: a run-level error (exit 2), or the count of
// documents that failed (exit 1 when > 0).
struct Outcome {
  Status status;
  int64_t failed_documents = 0;
  // -- issue 5: cron lock -- status says who holds the lock (exit kExitLocked).
  bool locked = false;
};

struct Command {
  const char* name;
  const char* summary;
  // Adds the command's options to `sub` and returns the function that runs it.
  std::function<std::function<Outcome()>(CLI::App* sub, const GlobalOptions* global)> setup;
};

// One per command_*.cc.
Command IngestCommand();
Command ExportCommand();
Command FiguresCommand();
Command RulesCommand();
Command ExtractTextCommand();
// -- issue 6: search and duplicates (command_search.cc, command_duplicates.cc) --
Command SearchCommand();
Command DuplicatesCommand();
// -- issue 6: rebuild and show (command_rebuild.cc, command_show.cc) --
Command RebuildCommand();
Command ShowCommand();
// -- issue 6: stats (command_stats.cc) --
Command StatsCommand();

}  // namespace newsclaim::cli

#endif  // NEWSCLAIM_CLI_COMMAND_H_
