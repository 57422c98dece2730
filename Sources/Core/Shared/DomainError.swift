import Foundation

/// A refusal by a domain rule. Carries a stable machine code, a Chinese message for people,
/// and per-field messages; the web edge maps `kind` to an HTTP status in one place.
public struct DomainError: Error, Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// The input breaks a rule (422).
        case invalid
        /// The request itself is malformed (400).
        case badRequest
        /// The record does not exist or is outside the caller's scope (404).
        case notFound
        /// The record's state does not allow this now (409).
        case conflict
        /// Authenticated but the role may not do this (403).
        case forbidden
        /// Not logged in, or wrong credentials (401).
        case unauthorized
        /// The account is locked (423).
        case locked
        /// Too many requests from one sender in a while (429).
        case rateLimited
    }

    public var kind: Kind
    public var code: String
    public var message: String
    public var fields: [String: String]

    public init(_ kind: Kind, code: String, message: String, fields: [String: String] = [:]) {
        self.kind = kind
        self.code = code
        self.message = message
        self.fields = fields
    }

    /// One field breaks one rule: the message names the field (in Chinese) and the rule.
    public static func field(_ field: String, label: String, _ rule: String, code: String = "validation_failed") -> DomainError {
        DomainError(.invalid, code: code, message: "\(label)：\(rule)", fields: [field: "\(label)\(rule)"])
    }

    public static func notFound(_ what: String) -> DomainError {
        DomainError(.notFound, code: "not_found", message: "未找到\(what)，或您无权查看。")
    }

    public static let forbidden = DomainError(.forbidden, code: "forbidden", message: "您的角色无权执行此操作。")
    public static let unauthorized = DomainError(.unauthorized, code: "unauthorized", message: "请先登录。")
}

extension DomainError: CustomStringConvertible {
    /// The Chinese message, which is what a console shows.
    public var description: String { message }
}

/// Collects field errors so a form or a JSON body is checked whole before anything is written.
public struct Validator: Sendable {
    public private(set) var fields: [String: String] = [:]
    public init() {}

    public mutating func add(_ field: String, _ message: String) {
        if fields[field] == nil { fields[field] = message }
    }

    /// Trims `value`; records an error when it is empty (and required) or longer than `max` characters.
    public mutating func text(_ value: String?, field: String, label: String, required: Bool = true, max: Int = 200) -> String? {
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if trimmed.isEmpty {
            if required { add(field, "\(label)不能为空") }
            return nil
        }
        if trimmed.count > max {
            add(field, "\(label)不能超过\(max)个字符（当前\(trimmed.count)个）")
            return nil
        }
        return trimmed
    }

    /// One of `E` by its raw value; records an error when it is unknown, or empty and `required`.
    public mutating func choice<E: RawRepresentable & CaseIterable>(_ raw: String?, _: E.Type, field: String, label: String,
                                                                  required: Bool) -> E? where E.RawValue == String {
        guard let raw, !raw.isEmpty else {
            if required { add(field, "\(label)不能为空") }
            return nil
        }
        guard let value = E(rawValue: raw) else {
            add(field, "\(label)无效，应为：\(E.allCases.map(\.rawValue).joined(separator: "、"))")
            return nil
        }
        return value
    }

    /// `yyyy-MM-dd HH:mm` in Beijing time; records an error naming the format when it is not.
    public mutating func wallTime(_ raw: String, field: String) -> Date? {
        guard let d = HourClock.parseWallTime(raw) else {
            add(field, "时间格式应为 YYYY-MM-DD HH:MM（北京时间）")
            return nil
        }
        return d
    }

    public var isValid: Bool { fields.isEmpty }

    /// Throws one `DomainError` listing every bad field, with the first one in the message.
    public func check(code: String = "validation_failed") throws(DomainError) {
        guard !fields.isEmpty else { return }
        let sorted = fields.sorted { $0.key < $1.key }
        let first = sorted[0].value
        let message = fields.count == 1 ? "输入有误：\(first)" : "输入有误（共\(fields.count)处）：\(first)等"
        throw DomainError(.invalid, code: code, message: message, fields: fields)
    }
}
