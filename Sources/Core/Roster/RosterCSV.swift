/// The roster spreadsheet: one row per post held (导入/导出).
public enum RosterCSV {
    public static let header = ["单位", "岗位", "姓名", "职务", "办公电话", "手机", "电子邮箱", "生效日期", "结束日期", "授权范围"]

    /// One validated row of an import.
    public struct Row: Equatable, Sendable {
        public var line: Int
        public var agencyName: String
        public var kind: PositionKind
        public var name: String
        public var title: String
        public var officePhone: String
        public var mobile: String
        public var email: String
        public var start: CivilDate
        public var end: CivilDate?
        public var scope: String?
    }

    /// Parses and checks every row. Any bad row refuses the whole file, with each error
    /// numbered by its line in the file (the header is line 1).
    public static func parse(_ text: String, knownAgencies: Set<String>) throws(DomainError) -> [Row] {
        let table = try CSV.parse(text)
        guard let head = table.first else {
            throw DomainError(.invalid, code: "csv_empty", message: "CSV 文件为空：第 1 行应为表头 \(header.joined(separator: ","))。")
        }
        let trimmedHead = head.map { $0.trimmingCharacters(in: .whitespaces) }
        guard Array(trimmedHead.prefix(header.count)) == Array(header.prefix(trimmedHead.count)), trimmedHead.count >= 8 else {
            throw DomainError(.invalid, code: "csv_header", message: "第 1 行表头应为：\(header.joined(separator: ","))。")
        }
        var rows: [Row] = []
        var errors: [String: String] = [:]
        for (index, cells) in table.dropFirst().enumerated() {
            let line = index + 2
            func cell(_ i: Int) -> String { i < cells.count ? cells[i].trimmingCharacters(in: .whitespaces) : "" }
            var problems: [String] = []
            let agency = cell(0)
            if agency.isEmpty { problems.append("单位不能为空") }
            else if !knownAgencies.contains(agency) { problems.append("单位“\(agency)”不存在或不在您的管理范围内") }
            let kind = PositionKind(label: cell(1))
            if kind == nil { problems.append("岗位“\(cell(1))”无效，应为：\(PositionKind.allCases.map(\.label).joined(separator: "、"))") }
            let name = cell(2)
            if name.isEmpty { problems.append("姓名不能为空") } else if name.count > 50 { problems.append("姓名不能超过50个字符") }
            for (i, label) in [(3, "职务"), (4, "办公电话"), (5, "手机"), (6, "电子邮箱")] where cell(i).count > 100 {
                problems.append("\(label)不能超过100个字符")
            }
            let start = CivilDate(cell(7))
            if start == nil { problems.append("生效日期“\(cell(7))”无效，应为 YYYY-MM-DD") }
            var end: CivilDate?
            if !cell(8).isEmpty {
                end = CivilDate(cell(8))
                if end == nil { problems.append("结束日期“\(cell(8))”无效，应为 YYYY-MM-DD") }
            }
            if let s = start, let e = end, e < s { problems.append("结束日期早于生效日期") }
            if !problems.isEmpty {
                errors["line\(line)"] = "第 \(line) 行：" + problems.joined(separator: "；")
                continue
            }
            rows.append(Row(line: line, agencyName: agency, kind: kind!, name: name, title: cell(3),
                            officePhone: cell(4), mobile: cell(5), email: cell(6), start: start!, end: end,
                            scope: cell(9).isEmpty ? nil : cell(9)))
        }
        if !errors.isEmpty { throw rowErrors(errors) }
        return rows
    }

    /// One refusal for a whole file: `errors` is keyed `line<N>`; the message lists them in line order.
    public static func rowErrors(_ errors: [String: String]) -> DomainError {
        let ordered = errors.sorted { Int($0.key.dropFirst(4)) ?? 0 < Int($1.key.dropFirst(4)) ?? 0 }.map(\.value)
        return DomainError(.invalid, code: "csv_rows_invalid",
                           message: "导入失败，未导入任何数据。共 \(errors.count) 行有误：" + ordered.joined(separator: " "),
                           fields: errors)
    }
}
