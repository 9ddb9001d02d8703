import ArgumentParser
import Kaohe

enum CheckFormat: String, ExpressibleByArgument { case text, json }
