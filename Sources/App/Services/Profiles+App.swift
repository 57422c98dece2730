import Core
import Vapor

extension Application {
    private struct ProfilesKey: StorageKey { typealias Value = [String: PolicyProfile] }

    /// The policy profiles, loaded and checked once at start-up.
    var profiles: [String: PolicyProfile] {
        get { storage[ProfilesKey.self] ?? [:] }
        set { storage[ProfilesKey.self] = newValue }
    }

    func profile(_ id: String) throws -> PolicyProfile {
        guard let p = profiles[id] else {
            throw DomainError(.conflict, code: "profile_missing", message: "辖区的政策配置 \(id) 未加载。")
        }
        return p
    }
}
