import Foundation

/// A rule value with the article it comes from, shown next to whatever it produced.
public struct Cited<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var value: Value
    /// `seed-file §article`, e.g. `003 §9`.
    public var source: String

    public init(_ value: Value, source: String) {
        self.value = value
        self.source = source
    }
}

/// How many holders of one post an agency may have at once.
public struct PostLimit: Codable, Sendable, Equatable {
    public var min: Int
    public var max: Int
    public var source: String

    public init(min: Int, max: Int, source: String) {
        self.min = min
        self.max = max
        self.source = source
    }
}

/// The roster rules of one jurisdiction (SPEC §1).
public struct RosterRules: Codable, Sendable, Equatable {
    /// Limits per post; a post without an entry may not be held at all.
    public var limits: [String: PostLimit]
    /// Whether temporary spokespersons may be authorised (003 §8; 002 §六(一)).
    public var temporarySpokesperson: Cited<Bool>
    /// A change must be filed within this many months of taking effect; `nil` = "in time" with no number.
    public var changeFilingMonths: Cited<Int?>
    /// Which posts the yearly published list shows.
    public var publishedPosts: Cited<[PositionKind]>
    /// The name of the supervising news office, as the regulation spells it.
    public var newsOfficeName: Cited<String>

    public func limit(for kind: PositionKind) -> PostLimit? { limits[kind.rawValue] }
}

/// A jurisdiction's rules as data (SPEC: "rules are data"). This first cut holds the roster
/// rules; the calendar and workflow issues extend it.
public struct PolicyProfile: Codable, Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    /// The regulation this profile is distilled from.
    public var sources: [String]
    public var roster: RosterRules
}

/// Loads the shipped profiles (`Resources/Profiles/*.json`).
public enum PolicyProfiles {
    public static let ids = ["wulong", "dayao", "huludao", "luan"]

    public static func load(_ id: String) throws -> PolicyProfile {
        guard let url = Bundle.module.url(forResource: id, withExtension: "json", subdirectory: "Profiles") else {
            throw DomainError.notFound("政策配置 \(id)")
        }
        return try decode(Data(contentsOf: url), file: "\(id).json")
    }

    public static func decode(_ data: Data, file: String) throws -> PolicyProfile {
        do {
            return try JSONDecoder().decode(PolicyProfile.self, from: data)
        } catch let error as DecodingError {
            throw DomainError(.invalid, code: "profile_invalid", message: "政策配置文件 \(file) 无效：\(describe(error))")
        }
    }

    /// All shipped profiles by id; loading fails loudly at start-up rather than at first use.
    public static func all() throws -> [String: PolicyProfile] {
        var out: [String: PolicyProfile] = [:]
        for id in ids { out[id] = try load(id) }
        return out
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ c: [CodingKey]) -> String { c.map(\.stringValue).joined(separator: ".") }
        switch error {
        case .keyNotFound(let key, let ctx): return "缺少键 \(path(ctx.codingPath + [key]))"
        case .typeMismatch(let type, let ctx): return "键 \(path(ctx.codingPath)) 应为 \(type)"
        case .valueNotFound(let type, let ctx): return "键 \(path(ctx.codingPath)) 缺少 \(type) 值"
        case .dataCorrupted(let ctx): return "键 \(path(ctx.codingPath)) 数据损坏：\(ctx.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
