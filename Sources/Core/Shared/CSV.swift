/// RFC 4180 CSV, as Excel in China writes and reads it (UTF-8 with a BOM).
public enum CSV {
    public static let bom = "\u{FEFF}"

    /// Splits text into rows of fields. Quoted fields may hold commas, quotes ("") and newlines.
    public static func parse(_ text: String) throws(DomainError) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var chars = Array(text.hasPrefix(bom) ? String(text.dropFirst()) : text)
        chars.append("\n")
        var i = 0
        var line = 1
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { field.append("\""); i += 1 } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
            } else {
                switch c {
                case "\"" where field.isEmpty: inQuotes = true
                case ",": row.append(field); field = ""
                case "\r\n", "\n", "\r":
                    row.append(field); field = ""
                    if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
                    row = []
                    line += 1
                default: field.append(c)
                }
            }
            i += 1
        }
        if inQuotes {
            throw DomainError(.badRequest, code: "csv_malformed", message: "CSV 格式错误：第 \(line) 行附近有未闭合的引号。")
        }
        return rows
    }

    public static func escape(_ field: String) -> String {
        // A leading =, +, - or @ would run as a formula in Excel; prefix a quote (CSV injection).
        var f = field
        if let first = f.first, "=+-@".contains(first) { f = "'" + f }
        if f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return f
    }

    /// Rows to text with a BOM and CRLF line ends, so Excel opens it as UTF-8.
    public static func format(_ rows: [[String]]) -> String {
        bom + rows.map { $0.map(escape).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
