import Vapor

/// The injected clock: no code on a request path reads the wall clock directly.
struct AppClock: Sendable {
    let now: @Sendable () -> Date
    static let system = AppClock(now: { Date() })
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = AppClock }

    var clock: AppClock {
        get { storage[ClockKey.self] ?? .system }
        set { storage[ClockKey.self] = newValue }
    }

    private struct SettingsKey: StorageKey { typealias Value = Settings }

    /// The settings `configure` was called with.
    public var settings: Settings {
        get { storage[SettingsKey.self]! }
        set { storage[SettingsKey.self] = newValue }
    }
}

extension Request {
    var now: Date { application.clock.now() }
}
