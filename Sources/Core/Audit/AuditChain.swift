import Crypto
import Foundation

/// One entry of the append-only audit log, in the fields that its hash covers.
public struct AuditEntry: Sendable, Equatable {
    public var seq: Int
    public var at: Date
    public var actor: String
    public var action: String
    public var entityType: String
    public var entityID: String
    public var before: String?
    public var after: String?
    public var requestID: String
    public var ip: String
    public var prevHash: String
    public var hash: String

    public init(seq: Int, at: Date, actor: String, action: String, entityType: String, entityID: String,
                before: String?, after: String?, requestID: String, ip: String, prevHash: String, hash: String = "") {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.before = before
        self.after = after
        self.requestID = requestID
        self.ip = ip
        self.prevHash = prevHash
        self.hash = hash
    }
}

/// The hash chain over the audit log: each entry's hash covers its content and the previous
/// entry's hash, so editing or removing a row breaks every link after it.
public enum AuditChain {
    /// The `prevHash` of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// Time is hashed in whole milliseconds, which both SQLite and PostgreSQL store exactly.
    public static func canonical(_ e: AuditEntry) -> String {
        let ms = Int64((e.at.timeIntervalSince1970 * 1000).rounded())
        let fields: [String] = [String(e.seq), String(ms), e.actor, e.action, e.entityType, e.entityID,
                                e.before ?? "\u{0}", e.after ?? "\u{0}", e.requestID, e.ip, e.prevHash]
        // Length-prefix every field so no two different entries serialise alike.
        return fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }

    public static func hash(_ e: AuditEntry) -> String {
        SHA256.hash(data: Data(canonical(e).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Fills in `prevHash` and `hash` of an entry appended after `previous`.
    public static func seal(_ e: AuditEntry, after previous: AuditEntry?) -> AuditEntry {
        var out = e
        out.seq = (previous?.seq ?? 0) + 1
        out.prevHash = previous?.hash ?? genesis
        out.hash = hash(out)
        return out
    }

    public enum Break: Equatable, Sendable {
        /// A row's content does not match its hash (edited).
        case altered(seq: Int)
        /// A row does not point at the hash of the row before it (edited or reordered).
        case brokenLink(seq: Int)
        /// Sequence numbers skip (a row was removed).
        case missing(afterSeq: Int, nextSeq: Int)

        public var message: String {
            switch self {
            case .altered(let s): "第 \(s) 条审计记录的内容与其哈希不符（被修改）"
            case .brokenLink(let s): "第 \(s) 条审计记录未链接到前一条（被修改或重排）"
            case .missing(let a, let n): "第 \(a) 条与第 \(n) 条之间缺少审计记录（被删除）"
            }
        }
    }

    /// Checks entries in `seq` order, continuing from `previous` (the last entry already checked,
    /// when verifying page by page); returns every break found.
    public static func verify(_ entries: [AuditEntry], after start: AuditEntry? = nil) -> [Break] {
        var breaks: [Break] = []
        var previous = start
        for e in entries {
            let expectedSeq = (previous?.seq ?? 0) + 1
            if e.seq != expectedSeq {
                breaks.append(.missing(afterSeq: previous?.seq ?? 0, nextSeq: e.seq))
            } else if e.prevHash != (previous?.hash ?? genesis) {
                breaks.append(.brokenLink(seq: e.seq))
            }
            if hash(e) != e.hash { breaks.append(.altered(seq: e.seq)) }
            previous = e
        }
        return breaks
    }
}
