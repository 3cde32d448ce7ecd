import CallScript
import Testing

@testable import CallScriptServer
