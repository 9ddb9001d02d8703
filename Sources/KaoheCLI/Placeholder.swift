public enum KaoheCLIPlaceholder {}
