import Core
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import LeafKit
import Vapor

/// Sets up the application from `settings`: database, migrations, views, middleware, routes.
public func configure(_ app: Application, settings: Settings, clock: (@Sendable () -> Date)? = nil) async throws {
    app.settings = settings
    if let clock { app.clock = AppClock(now: clock) }
    app.profiles = try PolicyProfiles.load(extraDirectory: settings.profilesDirectory)
    app.shippedNotices = try ShippedNotices.load()
    app.calendarCache = CalendarCache()

    switch settings.database {
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    case .sqliteFile(let path):
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .postgres(let url):
        app.databases.use(try .postgres(url: url), as: .psql)
    }
    app.migrations.add(CreateSchema())
    app.migrations.add(CreateCalendar())
    app.migrations.add(CreateReleases())
    app.migrations.add(CreateNotifications())
    app.migrations.add(CreateIncidents())
    app.migrations.add(CreatePortalIndex())
    app.migrations.add(CreateInterviewRequests())

    if let views = Bundle.module.url(forResource: "Views", withExtension: nil, subdirectory: "Resources") {
        // Sandbox the templates to their own folder (which sits under .build when run from source).
        app.leaf.sources = .singleSource(NIOLeafFiles(fileio: app.fileio, limits: [.toSandbox, .requireExtensions],
                                                      sandboxDirectory: views.path, viewDirectory: views.path))
    }
    // Leaf's own provider switches its (shared) template cache off whenever the environment is
    // development, which is what a plain `fabu serve` runs in, so every page re-read and
    // re-parsed its templates. A release build's templates are bundled and cannot change while
    // it runs: it keeps parsed templates whatever the environment; a debug build reads them anew.
    app.leaf.cache.isEnabled = app.environment.isRelease
    app.views.use { app in
        LeafRenderer(configuration: app.leaf.configuration, tags: app.leaf.tags, cache: app.leaf.cache, sources: app.leaf.sources,
                     eventLoop: app.eventLoopGroup.next(), userInfo: app.leaf.userInfo.merging(["application": app]) { $1 })
    }

    app.routes.defaultMaxBodySize = "2mb"
    app.middleware = Middlewares()
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(FabuErrorMiddleware())
    if let publicDir = Bundle.module.url(forResource: "Public", withExtension: nil, subdirectory: "Resources") {
        app.middleware.use(FileMiddleware(publicDirectory: publicDir.path + "/"))
    }

    try app.register(collection: PublicController())
    try app.register(collection: AdminController(maxUpload: settings.maxUploadBytes))
    try app.register(collection: APIController(maxUpload: settings.maxUploadBytes))
}
