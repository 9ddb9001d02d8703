import Foundation
import KaoheCLI

exit(KaoheCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
