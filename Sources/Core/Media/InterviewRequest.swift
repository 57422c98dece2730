import Crypto
import Foundation

/// 记者采访申请 — a journalist's interview request sent from the portal (SPEC R9.1: "新闻办
/// 受理境内外记者采访申请……记者须出示有效证件并登记" (003 §20)). It lands in the inbox of the
/// news office that answers for the agency asked for.
public struct InterviewRequestForm: Sendable {
    public var name: String?
    public var outlet: String?
    public var pressCard: String?
    public var contact: String?
    public var subject: String?
    public var wishedFrom: String?
    public var wishedTo: String?

    public init(name: String?, outlet: String?, pressCard: String?, contact: String?, subject: String?, wishedFrom: String?, wishedTo: String?) {
        self.name = name
        self.outlet = outlet
        self.pressCard = pressCard
        self.contact = contact
        self.subject = subject
        self.wishedFrom = wishedFrom
        self.wishedTo = wishedTo
    }
}

public struct InterviewRequestFacts: Equatable, Sendable {
    public let name: String
    public let outlet: String
    public let pressCard: String
    public let contact: String
    public let subject: String
    public let wishedFrom: CivilDate
    public let wishedTo: CivilDate

    /// Checks the whole form; every field's problem is named at once. Wished dates run from
    /// today to a year ahead, the end not before the start (a single day when it is left empty).
    public static func check(_ f: InterviewRequestForm, today: CivilDate) throws -> InterviewRequestFacts {
        var v = Validator()
        let name = v.text(f.name, field: "name", label: "记者姓名", max: 50)
        let outlet = v.text(f.outlet, field: "outlet", label: "所属媒体", max: 100)
        let card = v.text(f.pressCard, field: "pressCard", label: "记者证号", max: 30)
        // 新闻记者证 numbers are letters and digits; spaces typed for reading are dropped.
        let pressCard = card?.filter { !$0.isWhitespace }.uppercased()
        if let c = pressCard, !(6...30).contains(c.count) || !c.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            v.add("pressCard", "记者证号应为6到30位字母或数字")
        }
        let contact = v.text(f.contact, field: "contact", label: "联系电话或电子邮箱", max: 100)
        if let c = contact, !(c.contains("@") || c.filter(\.isNumber).count >= 7) {
            v.add("contact", "联系电话或电子邮箱无效：请填写至少7位数字的电话，或电子邮箱")
        }
        let subject = v.text(f.subject, field: "subject", label: "采访主题", max: 500)
        let from = date(f.wishedFrom, field: "wishedFrom", label: "希望采访日期", required: true, &v)
        let to = date(f.wishedTo, field: "wishedTo", label: "希望采访截止日期", required: false, &v) ?? from
        if let from {
            if from < today { v.add("wishedFrom", "希望采访日期不能早于今天（\(today)）") }
            if from > today.adding(days: 366) { v.add("wishedFrom", "希望采访日期应在一年以内") }
            if let to, to < from { v.add("wishedTo", "希望采访截止日期不能早于开始日期") }
            if let to, to > from.adding(days: 90) { v.add("wishedTo", "希望采访的时间段最长90天") }
        }
        try v.check()
        return InterviewRequestFacts(name: name!, outlet: outlet!, pressCard: pressCard!, contact: contact!, subject: subject!,
                                     wishedFrom: from!, wishedTo: to!)
    }

    static func date(_ raw: String?, field: String, label: String, required: Bool, _ v: inout Validator) -> CivilDate? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            if required { v.add(field, "\(label)不能为空") }
            return nil
        }
        guard let d = CivilDate(raw) else { v.add(field, "\(label)格式应为 YYYY-MM-DD，例如 2026-12-01"); return nil }
        return d
    }
}

/// How often the portal accepts requests (a plain rule, no third-party captcha): from one
/// address, and for one jurisdiction in a day, so a flood cannot bury the news office's inbox.
public enum InterviewLimits {
    public static let perAddressPerHour = 3
    public static let perJurisdictionPerDay = 200

    /// What the per-address limit counts: an IPv4 address as it is; an IPv6 address by its /64,
    /// which one household or one phone holds whole (it could otherwise pick a new address
    /// for every request); an IPv4-mapped IPv6 address as the IPv4 one.
    public static func key(forAddress raw: String) -> String {
        let address = raw.split(separator: "%").first.map(String.init) ?? raw   // no zone id
        guard address.contains(":") else { return address }
        let lower = address.lowercased()
        if lower.hasPrefix("::ffff:"), lower.dropFirst(7).contains(".") { return String(lower.dropFirst(7)) }
        let halves = lower.components(separatedBy: "::")
        guard halves.count <= 2 else { return lower }
        let head = halves[0].isEmpty ? [] : halves[0].split(separator: ":").map(String.init)
        let tail = halves.count == 2 && !halves[1].isEmpty ? halves[1].split(separator: ":").map(String.init) : []
        let groups = halves.count == 2 ? head + Array(repeating: "0", count: max(0, 8 - head.count - tail.count)) + tail : head
        guard groups.count == 8, groups.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy(\.isHexDigit) }) else { return lower }
        return groups.prefix(4).map { String(Int($0, radix: 16)!, radix: 16) }.joined(separator: ":") + "::/64"
    }

    public static func check(fromAddressInLastHour: Int, forJurisdictionInLastDay: Int) throws {
        if fromAddressInLastHour >= perAddressPerHour {
            throw DomainError(.rateLimited, code: "rate_limited", message: "提交过于频繁：同一网络每小时最多提交\(perAddressPerHour)份采访申请，请稍后再试，或致电新闻办。")
        }
        if forJurisdictionInLastDay >= perJurisdictionPerDay {
            throw DomainError(.rateLimited, code: "rate_limited", message: "今日采访申请已达上限，请明天再试，或致电新闻办。")
        }
    }
}

/// A plain arithmetic question answered on the server, instead of a third-party captcha: the
/// question travels in a signed token (HMAC-SHA256 with a server secret), valid 30 minutes and
/// once (its nonce is stored with the request it admitted).
public struct PortalChallenge: Equatable, Sendable {
    public let a: Int
    public let b: Int
    public let expires: Int
    public let nonce: String

    public static let lifetime: TimeInterval = 30 * 60

    public var question: String { "\(a) 加 \(b) 等于几？" }

    public static func make(now: Date, secret: [UInt8], using rng: inout some RandomNumberGenerator) -> (PortalChallenge, token: String) {
        let nonce = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
        let c = PortalChallenge(a: Int.random(in: 2...19, using: &rng), b: Int.random(in: 2...9, using: &rng),
                                expires: Int(now.addingTimeInterval(lifetime).timeIntervalSince1970), nonce: nonce)
        return (c, c.token(secret: secret))
    }

    func token(secret: [UInt8]) -> String {
        let body = "\(a).\(b).\(expires).\(nonce)"
        return body + "." + Self.mac(body, secret: secret)
    }

    static func mac(_ body: String, secret: [UInt8]) -> String {
        HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: secret)).map { String(format: "%02x", $0) }.joined()
    }

    /// The challenge of `token` when it is genuine, unexpired and `answer` is right.
    public static func verify(token: String?, answer: String?, now: Date, secret: [UInt8]) throws -> PortalChallenge {
        let parts = (token ?? "").split(separator: ".").map(String.init)
        guard parts.count == 5, let a = Int(parts[0]), let b = Int(parts[1]), let expires = Int(parts[2]),
              parts[3].count == 32, parts[3].allSatisfy(\.isHexDigit),
              constantTimeEqual(mac(parts[0...3].joined(separator: "."), secret: secret), parts[4]) else {
            throw DomainError.field("answer", label: "验证题", "已失效，请回答新的题目")
        }
        guard Double(expires) >= now.timeIntervalSince1970 else {
            throw DomainError.field("answer", label: "验证题", "已超过30分钟，请回答新的题目")
        }
        let typed = (answer ?? "").trimmingCharacters(in: .whitespaces)
        guard let n = Int(typed), n == a + b else {
            throw DomainError.field("answer", label: "验证题", typed.isEmpty ? "不能为空" : "答案不正确，请重新计算")
        }
        return PortalChallenge(a: a, b: b, expires: expires, nonce: parts[3])
    }
}
