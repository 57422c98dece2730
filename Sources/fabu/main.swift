import App
import Logging
import Vapor

// The thin entrypoint: read settings, configure, run the command (`serve` by default).
var env = try Environment.detect()
try LoggingSystem.bootstrap(from: &env)
let settings: Settings
do {
    settings = try Settings.fromEnvironment()
} catch let error as Settings.Invalid {
    FileHandle.standardError.write(Data((error.description + "\n").utf8))
    exit(2)
}
let app = try await Application.make(env)
do {
    try await configure(app, settings: settings)
    app.registerFabuCommands()
    let command = CommandLine.arguments.dropFirst().first { !$0.hasPrefix("-") } ?? "serve"
    if command == "serve" { try await prepareForServe(app) }
    try await app.execute()
} catch {
    app.logger.report(error: error)
    try? await app.asyncShutdown()
    throw error
}
try await app.asyncShutdown()
