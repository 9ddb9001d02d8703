public enum KaohePlaceholder {}
