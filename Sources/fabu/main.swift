import App
import Core
import Logging
import Vapor

// The thin entrypoint: read settings, configure, run the command (`serve` by default).
// Failures print one clear line (Chinese for domain refusals) and exit 1, never a crash.
var env = try Environment.detect()
// Logs go to standard error, so a command's output (e.g. `fabu calendar export`) is clean CSV.
try LoggingSystem.bootstrap(from: &env) { level in { StandardErrorLogHandler(label: $0, level: level) } }
let settings: Settings
do {
    settings = try Settings.fromEnvironment()
} catch let error as Settings.Invalid {
    FileHandle.standardError.write(Data((error.description + "\n").utf8))
    exit(2)
}
let app = try await Application.make(env)
var failed = false
var executing = false
do {
    try await configure(app, settings: settings)
    app.registerFabuCommands()
    let command = CommandLine.arguments.dropFirst().first { !$0.hasPrefix("-") } ?? "serve"
    // `serve --help` only prints the options: no migration, no demo data.
    let helpOnly = CommandLine.arguments.contains { $0 == "--help" || $0 == "-h" }
    if command == "serve", !helpOnly { try await prepareForServe(app) }
    executing = true
    try await app.execute()
} catch {
    // Vapor's console has already printed errors raised by a command.
    if !executing { FileHandle.standardError.write(Data("错误：\(error)\n".utf8)) }
    failed = true
}
try? await app.asyncShutdown()
exit(failed ? 1 : 0)
