import Foundation

/// Decodes data files (policy profiles, holiday notices) strictly: Swift's `JSONDecoder`
/// ignores keys it does not know, which would let a typo (`reviewWorkdays`) silently fall back
/// to nothing. Here every refusal names the file, the key path and what was expected.
public enum StrictJSON {
    /// Parses `data` into a JSON tree (`[String: Any]`, `[Any]`, `String`, `NSNumber`, `NSNull`).
    public static func parse(_ data: Data, file: String) throws(DomainError) -> Any {
        do {
            return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw invalid(file, "不是有效的 JSON（\((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "语法错误")）")
        }
    }

    /// Decodes `T` from a JSON tree and refuses any key `T` does not define.
    ///
    /// Unknown keys are found by encoding the decoded value again and comparing key sets: a key
    /// present in the input but absent from the re-encoded value was not read by `T`.
    public static func decode<T: Codable>(_ type: T.Type, from tree: Any, file: String) throws(DomainError) -> T {
        let value: T
        do {
            let data = try JSONSerialization.data(withJSONObject: tree, options: [.fragmentsAllowed])
            value = try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw invalid(file, describe(error))
        } catch let error as DomainError {
            throw error
        } catch {
            throw invalid(file, "\(error)")
        }
        let known: Any
        do {
            known = try JSONSerialization.jsonObject(with: JSONEncoder().encode(value), options: [.fragmentsAllowed])
        } catch {
            throw invalid(file, "无法重新编码：\(error)")
        }
        if let unknown = firstUnknownKey(tree, known, path: []) {
            throw invalid(file, "未知的键 \(unknown)（请检查拼写；允许的键见运维手册）")
        }
        return value
    }

    /// Deep merge for `extends`: objects merge key by key, anything else (numbers, strings,
    /// arrays) in `override` replaces the base value. A cited value (an object with a
    /// `source`) is replaced whole: a value never keeps another value's citation or quote.
    public static func merge(_ base: Any, _ override: Any) -> Any {
        guard let b = base as? [String: Any], let o = override as? [String: Any], o["source"] == nil else { return override }
        var out = b
        for (key, value) in o {
            out[key] = out[key].map { merge($0, value) } ?? value
        }
        return out
    }

    public static func invalid(_ file: String, _ detail: String) -> DomainError {
        DomainError(.invalid, code: "data_file_invalid", message: "文件 \(file) 无效：\(detail)")
    }

    static func firstUnknownKey(_ input: Any, _ known: Any, path: [String]) -> String? {
        if let i = input as? [String: Any] {
            let k = known as? [String: Any] ?? [:]
            for key in i.keys.sorted() {
                guard let kv = k[key] else { return (path + [key]).joined(separator: ".") }
                if let found = firstUnknownKey(i[key]!, kv, path: path + [key]) { return found }
            }
        } else if let i = input as? [Any], let k = known as? [Any] {
            for (n, element) in i.enumerated() where n < k.count {
                if let found = firstUnknownKey(element, k[n], path: path + ["[\(n)]"]) { return found }
            }
        }
        return nil
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ c: [CodingKey]) -> String {
            c.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let ctx): return "缺少键 \(path(ctx.codingPath + [key]))"
        case .typeMismatch(let type, let ctx): return "键 \(path(ctx.codingPath)) 的类型不对，应为\(typeName(type))"
        case .valueNotFound(let type, let ctx): return "键 \(path(ctx.codingPath)) 不能为空，应为\(typeName(type))"
        case .dataCorrupted(let ctx): return "键 \(path(ctx.codingPath))：\(ctx.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "整数"
        case is Bool.Type: return "true 或 false"
        case is String.Type: return "字符串"
        case is Double.Type: return "数字"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "数组" }
            if name.hasPrefix("Dictionary") { return "对象" }
            return name
        }
    }
}
