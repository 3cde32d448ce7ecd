public enum CallScriptVersion { public static let string = "0.1.0" }
