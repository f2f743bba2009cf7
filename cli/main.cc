// newsclaim: the command-line entry point. Registers the subcommands, parses the command
// line, and is the only place that maps outcomes to messages and exit statuses.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/command.h"

int main(int argc, char** argv) {
  using namespace newsclaim::cli;
  CLI::App app{
      "newsclaim: ingest multilingual news, strip boilerplate, normalise Chinese scripts and "
      "extract claims (figures, chips, sources) into SQLite.",
      "newsclaim"};
  app.set_version_flag("--version", NEWSCLAIM_VERSION);
  app.require_subcommand(1);
  GlobalOptions global;
  app.add_option("--rules", global.rules_dir,
                 "Rule directory (default: $NEWSCLAIM_RULES, else the rules/ the program was "
                 "built with)")
      ->type_name("DIR");

  const Command commands[] = {IngestCommand(),  ExportCommand(),      FiguresCommand(),
                              RulesCommand(),   ExtractTextCommand(),
                              StatsCommand(),                          // issue 6: stats
                              RebuildCommand(), ShowCommand(),         // issue 6: rebuild, show
                              SearchCommand(),  DuplicatesCommand()};  // issue 6: search
  std::function<Outcome()> run;
  for (const Command& c : commands) {
    CLI::App* sub = app.add_subcommand(c.name, c.summary);
    auto fn = c.setup(sub, &global);
    sub->callback([&run, fn]() { run = fn; });
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitRunError;
  }
  if (!run) return kExitRunError;
  Outcome out;
  try {
    out = run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "newsclaim: internal error: %s\n", e.what());
    return kExitRunError;
  }
  if (out.locked) {  // issue 5: cron lock
    std::fprintf(stderr, "newsclaim: %s\n", out.status.message().c_str());
    return kExitLocked;
  }
  if (!out.status.ok()) {
    std::fprintf(stderr, "newsclaim: %s\n", out.status.message().c_str());
    return kExitRunError;
  }
  return out.failed_documents > 0 ? kExitSomeFailed : kExitOk;
}
