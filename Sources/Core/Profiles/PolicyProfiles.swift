import Foundation

/// Loads, resolves and validates policy profiles: one JSON file per jurisdiction, optionally
/// `"extends": "<id>"` another profile and overriding some of its values. A new jurisdiction is
/// added by writing a file (shipped in `Resources/Profiles`, or placed in the directory named by
/// `FABU_PROFILES_DIR`), not code.
public enum PolicyProfiles {
    /// The four jurisdictions of the seed regulations.
    public static let shippedIDs = ["wulong", "dayao", "huludao", "luan"]

    /// One profile file before resolution.
    public struct File: Sendable {
        public var name: String
        public var data: Data

        public init(name: String, data: Data) {
            self.name = name
            self.data = data
        }

        public var id: String { (name as NSString).deletingPathExtension }
    }

    /// The shipped files.
    public static func shippedFiles() throws(DomainError) -> [File] {
        try shippedIDs.map { id throws(DomainError) -> File in
            guard let url = Bundle.module.url(forResource: id, withExtension: "json", subdirectory: "Profiles"),
                  let data = try? Data(contentsOf: url) else {
                throw DomainError.notFound("政策配置 \(id)")
            }
            return File(name: "\(id).json", data: data)
        }
    }

    /// Every `*.json` file in a directory.
    public static func files(inDirectory path: String) throws(DomainError) -> [File] {
        let url = URL(fileURLWithPath: path)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            throw DomainError(.invalid, code: "profiles_dir_unreadable", message: "无法读取政策配置目录 \(path)。")
        }
        return try names.filter { $0.hasSuffix(".json") }.sorted().map { name throws(DomainError) -> File in
            guard let data = try? Data(contentsOf: url.appendingPathComponent(name)) else {
                throw StrictJSON.invalid(name, "无法读取")
            }
            return File(name: name, data: data)
        }
    }

    /// The shipped profiles, plus those of `extraDirectory`, resolved and validated. A file in
    /// the extra directory with a shipped id replaces the shipped one.
    public static func load(extraDirectory: String? = nil) throws(DomainError) -> [String: PolicyProfile] {
        var files = try shippedFiles()
        if let dir = extraDirectory {
            let extra = try Self.files(inDirectory: dir)
            let ids = Set(extra.map(\.id))
            files = files.filter { !ids.contains($0.id) } + extra
        }
        return try resolveAll(files)
    }

    /// The shipped profiles only.
    public static func all() throws(DomainError) -> [String: PolicyProfile] { try load() }

    public static func load(_ id: String) throws(DomainError) -> PolicyProfile {
        guard let p = try all()[id] else { throw DomainError.notFound("政策配置 \(id)") }
        return p
    }

    /// Resolves every file against the others (for `extends`) and validates each.
    public static func resolveAll(_ files: [File]) throws(DomainError) -> [String: PolicyProfile] {
        let trees = try parse(files)
        var out: [String: PolicyProfile] = [:]
        for id in trees.keys.sorted() {
            out[id] = try resolve(id, trees: trees)
        }
        return out
    }

    /// Validates one file on its own (`fabu profiles validate FILE`); `extends` may name a
    /// shipped profile.
    public static func validate(_ file: File) throws(DomainError) -> PolicyProfile {
        let files = try shippedFiles().filter { $0.id != file.id } + [file]
        return try resolve(file.id, trees: parse(files))
    }

    /// Each file's JSON tree by profile id; two files with one id are refused.
    static func parse(_ files: [File]) throws(DomainError) -> [String: (file: String, tree: [String: Any])] {
        var trees: [String: (file: String, tree: [String: Any])] = [:]
        for f in files {
            guard let tree = try StrictJSON.parse(f.data, file: f.name) as? [String: Any] else {
                throw StrictJSON.invalid(f.name, "顶层应为 JSON 对象")
            }
            if trees[f.id] != nil { throw StrictJSON.invalid(f.name, "与另一个文件的编号 \(f.id) 重复") }
            trees[f.id] = (f.name, tree)
        }
        return trees
    }

    static func resolve(_ id: String, trees: [String: (file: String, tree: [String: Any])]) throws(DomainError) -> PolicyProfile {
        guard let own = trees[id] else { throw DomainError.notFound("政策配置 \(id)") }
        // Walk up the `extends` chain, then merge from the root down.
        var chain = [own]
        var seen: Set<String> = [id]
        while let parent = chain.last!.tree["extends"] {
            guard let parentID = parent as? String else {
                throw StrictJSON.invalid(chain.last!.file, "键 extends 应为另一政策配置的编号（字符串）")
            }
            guard !seen.contains(parentID) else {
                throw StrictJSON.invalid(own.file, "extends 形成循环（\(seen.sorted().joined(separator: " → ")) → \(parentID)）")
            }
            guard let p = trees[parentID] else {
                throw StrictJSON.invalid(chain.last!.file, "extends 指向的政策配置 \(parentID) 不存在")
            }
            seen.insert(parentID)
            chain.append(p)
        }
        guard own.tree["id"] as? String == id else {
            throw StrictJSON.invalid(own.file, "键 id 必须存在且与文件名一致（应为 \"\(id)\"）")
        }
        var merged: Any = [String: Any]()
        for layer in chain.reversed() { merged = StrictJSON.merge(merged, layer.tree) }
        let file = chain.count > 1 ? "\(own.file)（继承 \(chain.dropFirst().map(\.file).joined(separator: "、"))）" : own.file
        let profile = try StrictJSON.decode(PolicyProfile.self, from: merged, file: file)
        try profile.validate(file: file)
        return profile
    }
}

extension PolicyProfile {
    /// Checks the values a type cannot: ranges, known post names, non-empty citations.
    public func validate(file: String) throws(DomainError) {
        func fail(_ detail: String) -> DomainError { StrictJSON.invalid(file, detail) }
        guard id.range(of: #"^[a-z][a-z0-9_-]{0,31}$"#, options: .regularExpression) != nil else {
            throw fail("id 只能用小写字母、数字、- 和 _（1–32 个字符，以字母开头），现为 “\(id)”")
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw fail("name 不能为空") }
        for (key, limit) in roster.limits {
            guard PositionKind(rawValue: key) != nil, key != PositionKind.temporarySpokesperson.rawValue else {
                throw fail("roster.limits.\(key) 不是已知的职务（应为 principal、spokesperson、assistant、liaison 之一）")
            }
            guard limit.min >= 0, limit.max >= limit.min, limit.max <= 10 else {
                throw fail("roster.limits.\(key) 的人数应满足 0 ≤ min ≤ max ≤ 10（现为 \(limit.min)–\(limit.max)）")
            }
        }
        let ranges: [(String, Int?, ClosedRange<Int>)] = [
            ("roster.changeFilingMonths", roster.changeFilingMonths.value, 1...24),
            ("releases.routineWithinWorkingDays", releases.routineWithinWorkingDays.value, 1...60),
            ("conference.applicationLeadWorkingDays", conference.applicationLeadWorkingDays.value, 0...60),
            ("conference.reviewWorkingDays", conference.reviewWorkingDays.value, 1...60),
            ("conference.materialsLeadWorkingDays", conference.materialsLeadWorkingDays.value, 0...60),
            ("conference.maxDurationMinutes", conference.maxDurationMinutes.value, 10...600),
            ("conference.maxPodium", conference.maxPodium.value, 1...30),
            ("conference.jointLeadMinutes", conference.jointLeadMinutes.value, 1...120),
            ("emergency.firstReleaseHours", emergency.firstReleaseHours.value, 1...72),
            ("emergency.conferenceHours", emergency.conferenceHours.value, 1...168),
            ("evaluation.trainingRotationYears", evaluation.trainingRotationYears.value, 1...10),
        ]
        for (key, value, range) in ranges {
            if let v = value, !range.contains(v) { throw fail("\(key).value 应在 \(range.lowerBound)–\(range.upperBound) 之间（现为 \(v)）") }
        }
        for (key, chain) in [("routine", conference.approval.routine.value), ("major", conference.approval.major.value)] {
            if chain.isEmpty || chain.contains(where: \.isEmpty) {
                throw fail("conference.approval.\(key).value 至少要有一级审定人，每一级至少一人")
            }
        }
        let hours = deadlines.reminderHours.value
        if hours.count > 5 || hours.contains(where: { !(1...720).contains($0) }) || Set(hours).count != hours.count {
            throw fail("deadlines.reminderHours.value 应为至多5个互不相同的小时数，每个在 1–720 之间（现为 \(hours)）")
        }
        var quotaIDs: Set<String> = []
        for (i, q) in quotas.enumerated() {
            if q.id.isEmpty || !quotaIDs.insert(q.id).inserted { throw fail("quotas[\(i)].id 为空或重复（“\(q.id)”）") }
            if !(1...100).contains(q.minimum) { throw fail("quotas[\(i)].minimum 应在 1–100 之间（现为 \(q.minimum)）") }
            if q.source.trimmingCharacters(in: .whitespaces).isEmpty { throw fail("quotas[\(i)].source 不能为空") }
        }
        // Every value carries its citation: no empty `source` anywhere.
        if let data = try? JSONEncoder().encode(self), let tree = try? JSONSerialization.jsonObject(with: data),
           let empty = Self.emptySource(tree, path: []) {
            throw fail("\(empty).source 不能为空：每个取值都要注明出处（如 003 §31(一)）")
        }
    }

    static func emptySource(_ tree: Any, path: [String]) -> String? {
        if let dict = tree as? [String: Any] {
            if let s = dict["source"] as? String, s.trimmingCharacters(in: .whitespaces).isEmpty {
                return path.joined(separator: ".")
            }
            for key in dict.keys.sorted() {
                if let found = emptySource(dict[key]!, path: path + [key]) { return found }
            }
        } else if let array = tree as? [Any] {
            for (i, element) in array.enumerated() {
                if let found = emptySource(element, path: path + ["[\(i)]"]) { return found }
            }
        }
        return nil
    }
}
