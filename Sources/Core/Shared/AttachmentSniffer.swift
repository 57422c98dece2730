import Foundation

/// What an uploaded file really is, decided from its bytes, never from its name or the type
/// the browser claimed. Anything that is not one of the document types below is refused —
/// in particular HTML and SVG, which a browser would run.
public enum AttachmentType: String, Codable, Sendable, CaseIterable {
    case pdf, docx, xlsx, pptx, odt, doc, png, jpeg, text

    public var mimeType: String {
        switch self {
        case .pdf: "application/pdf"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        case .odt: "application/vnd.oasis.opendocument.text"
        case .doc: "application/msword"
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .text: "text/plain; charset=utf-8"
        }
    }

    public var fileExtension: String { self == .jpeg ? "jpg" : (self == .text ? "txt" : rawValue) }

    /// PDF、Word、Excel、PowerPoint、ODT、PNG、JPEG、纯文本
    public static let allowedText = "PDF、Word（doc/docx）、Excel（xlsx）、PowerPoint（pptx）、ODT、PNG、JPEG 或纯文本"
}

public enum AttachmentSniffer {
    /// Decides the type of `bytes` named `filename`; throws a Chinese error naming the field.
    public static func sniff(_ bytes: [UInt8], filename: String, maxBytes: Int) throws(DomainError) -> AttachmentType {
        if bytes.isEmpty { throw DomainError.field("file", label: "文件", "不能为空", code: "attachment_empty") }
        if bytes.count > maxBytes {
            let mb = { (n: Int) in String(format: "%.1f", Double(n) / 1_048_576) }
            throw DomainError.field("file", label: "文件", "不能超过\(mb(maxBytes)) MB（当前\(mb(bytes.count)) MB）", code: "attachment_too_large")
        }
        let ext = filename.split(separator: ".").last.map { $0.lowercased() } ?? ""
        func starts(_ magic: [UInt8]) -> Bool { bytes.starts(with: magic) }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .doc }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            // A zip: an Office or OpenDocument file names its parts near the start.
            let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
            if head.contains("mimetypeapplication/vnd.oasis.opendocument.text") { return .odt }
            if head.contains("word/") || (ext == "docx" && head.contains("[Content_Types].xml")) { return .docx }
            if head.contains("xl/") || (ext == "xlsx" && head.contains("[Content_Types].xml")) { return .xlsx }
            if head.contains("ppt/") || (ext == "pptx" && head.contains("[Content_Types].xml")) { return .pptx }
            throw refused("是压缩包，不是可接受的文档")
        }
        // Plain text: valid UTF-8, no control bytes, and nothing a browser would treat as markup.
        let sample = bytes.prefix(65_536)
        let text = String(decoding: sample, as: UTF8.self)
        // A cut multi-byte character at the end of the sample is not a reason to refuse.
        guard !text.dropLast(2).contains("\u{FFFD}"),
              !sample.contains(where: { $0 < 0x09 || ($0 > 0x0D && $0 < 0x20) }) else {
            throw refused("类型无法识别")
        }
        let head = String(text.drop { $0.isWhitespace }.prefix(2048)).lowercased()
        let markup = ["<!doctype", "<html", "<script", "<svg", "<?xml", "<body", "<iframe", "<head"]
        if head.hasPrefix("<") || markup.contains(where: { head.contains($0) }) {
            throw refused("是网页或标记文件（HTML/SVG/XML），不予接收")
        }
        return .text
    }

    private static func refused(_ why: String) -> DomainError {
        DomainError.field("file", label: "文件", "\(why)；仅接受\(AttachmentType.allowedText)", code: "attachment_type")
    }
}
