//! Go regular expressions (RE2 syntax, as Go's regexp package reads them) for the
//! `// ERROR "regexp"` comments of errorcheck tests: enough of the syntax for those
//! comments, matched by backtracking. run.go only asks whether a pattern matches
//! somewhere in a message (`MatchString`), so which match is found does not matter.
//!
//! Supported: literals, `.` (not newline), `[...]` classes with ranges and negation,
//! escapes of punctuation, `\n \t \r \f \v \a \xHH \x{H..}`, `\d \D \s \S \w \W`
//! (ASCII, as in Go), `\b \B \A \z`, `^ $` (text start and end), groups `(...)`,
//! `(?:...)`, alternation, and `* + ? {n} {n,} {n,m}` with lazy variants. A `{` that
//! does not start a repetition is a literal, as in Go. Anything else (flags, named
//! groups, POSIX classes, Unicode classes) is refused with an error rather than
//! matched differently from Go.

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Regexp {
    alternatives: Vec<Vec<Node>>,
}

#[derive(Debug, Clone)]
enum Node {
    Char(char),
    AnyButNewline,
    Class(Class),
    TextStart,
    TextEnd,
    WordBoundary(bool),
    Group(Vec<Vec<Node>>),
    Repeat(Box<Node>, u32, Option<u32>),
}

#[derive(Debug, Clone)]
struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
}

impl Class {
    fn contains(&self, c: char) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != self.negated
    }
}

const DIGIT: &[(char, char)] = &[('0', '9')];
const SPACE: &[(char, char)] = &[('\t', '\n'), ('\x0c', '\r'), (' ', ' ')];
const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];

impl Regexp {
    /// Compiles `pattern`; the error says what is malformed or unsupported.
    pub fn new(pattern: &str) -> Result<Regexp, String> {
        let mut p = Parser { chars: pattern.chars().collect(), i: 0 };
        let alternatives = p.alternation()?;
        if p.i < p.chars.len() {
            return Err(format!("unexpected ) in {pattern:?}"));
        }
        Ok(Regexp { alternatives })
    }

    /// Whether the pattern matches somewhere in `text` (Go's MatchString).
    pub fn is_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let m = Matcher { text: &chars };
        (0..=chars.len()).any(|start| self.alternatives.iter().any(|alt| m.seq(alt, start, &mut |_| true)))
    }
}

struct Parser {
    chars: Vec<char>,
    i: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn next(&mut self) -> Result<char, String> {
        let c = self.peek().ok_or("trailing backslash or unfinished construct")?;
        self.i += 1;
        Ok(c)
    }

    /// `a|b|c` up to the end or a `)`.
    fn alternation(&mut self) -> Result<Vec<Vec<Node>>, String> {
        let mut alts = vec![self.sequence()?];
        while self.peek() == Some('|') {
            self.i += 1;
            alts.push(self.sequence()?);
        }
        Ok(alts)
    }

    fn sequence(&mut self) -> Result<Vec<Node>, String> {
        let mut seq = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            seq.push(self.repetition(atom)?);
        }
        Ok(seq)
    }

    fn atom(&mut self) -> Result<Node, String> {
        match self.next()? {
            '.' => Ok(Node::AnyButNewline),
            '^' => Ok(Node::TextStart),
            '$' => Ok(Node::TextEnd),
            '(' => self.group(),
            '[' => self.class().map(Node::Class),
            '\\' => self.escape(),
            c @ ('*' | '+' | '?') => Err(format!("missing argument to repetition operator {c}")),
            c => Ok(Node::Char(c)),
        }
    }

    fn group(&mut self) -> Result<Node, String> {
        if self.peek() == Some('?') {
            if self.chars.get(self.i + 1) != Some(&':') {
                return Err("group flags are not supported".into());
            }
            self.i += 2;
        }
        let alts = self.alternation()?;
        if self.next()? != ')' {
            return Err("missing )".into());
        }
        Ok(Node::Group(alts))
    }

    /// After a `\` outside a class.
    fn escape(&mut self) -> Result<Node, String> {
        let c = self.next()?;
        let class = |ranges: &[(char, char)], negated| Ok(Node::Class(Class { negated, ranges: ranges.to_vec() }));
        match c {
            'd' => class(DIGIT, false),
            'D' => class(DIGIT, true),
            's' => class(SPACE, false),
            'S' => class(SPACE, true),
            'w' => class(WORD, false),
            'W' => class(WORD, true),
            'b' => Ok(Node::WordBoundary(true)),
            'B' => Ok(Node::WordBoundary(false)),
            'A' => Ok(Node::TextStart),
            'z' => Ok(Node::TextEnd),
            'Q' => self.quoted(),
            _ => self.escaped_char(c).map(Node::Char),
        }
    }

    /// `\Q...\E`: literal text.
    fn quoted(&mut self) -> Result<Node, String> {
        let mut seq = Vec::new();
        while self.peek().is_some() {
            if self.peek() == Some('\\') && self.chars.get(self.i + 1) == Some(&'E') {
                self.i += 2;
                break;
            }
            seq.push(Node::Char(self.next()?));
        }
        Ok(Node::Group(vec![seq]))
    }

    /// The character an escape `\c` stands for (c already read).
    fn escaped_char(&mut self, c: char) -> Result<char, String> {
        Ok(match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'f' => '\x0c',
            'v' => '\x0b',
            'a' => '\x07',
            'x' => self.hex()?,
            c if c.is_ascii_punctuation() => c,
            c => return Err(format!("unsupported escape \\{c}")),
        })
    }

    /// After `\x`: two hex digits or `{hex}`.
    fn hex(&mut self) -> Result<char, String> {
        let digits: String = if self.peek() == Some('{') {
            self.i += 1;
            let mut s = String::new();
            loop {
                match self.next()? {
                    '}' => break s,
                    d => s.push(d),
                }
            }
        } else {
            let a = self.next()?;
            let b = self.next()?;
            [a, b].iter().collect()
        };
        u32::from_str_radix(&digits, 16).ok().and_then(char::from_u32).ok_or(format!("bad \\x escape {digits:?}"))
    }

    /// After `[`.
    fn class(&mut self) -> Result<Class, String> {
        let negated = self.peek() == Some('^');
        if negated {
            self.i += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let c = self.next().map_err(|_| "missing ]".to_string())?;
            if c == ']' && !first {
                break;
            }
            first = false;
            let lo = match c {
                '[' if self.peek() == Some(':') => return Err("POSIX classes are not supported".into()),
                '\\' => {
                    let e = self.next()?;
                    let named = match e {
                        'd' => Some(DIGIT),
                        's' => Some(SPACE),
                        'w' => Some(WORD),
                        'D' | 'S' | 'W' => return Err("negated escapes inside classes are not supported".into()),
                        _ => None,
                    };
                    if let Some(named) = named {
                        ranges.extend_from_slice(named);
                        continue;
                    }
                    self.escaped_char(e)?
                }
                c => c,
            };
            let hi = if self.peek() == Some('-') && self.chars.get(self.i + 1).is_some_and(|&c| c != ']') {
                self.i += 1;
                match self.next()? {
                    '\\' => {
                        let e = self.next()?;
                        self.escaped_char(e)?
                    }
                    c => c,
                }
            } else {
                lo
            };
            if hi < lo {
                return Err(format!("invalid character class range {lo}-{hi}"));
            }
            ranges.push((lo, hi));
        }
        Ok(Class { negated, ranges })
    }

    /// A repetition operator after `atom`, if any (several stack: `a{2}*`).
    fn repetition(&mut self, mut atom: Node) -> Result<Node, String> {
        loop {
            let (min, max) = match self.peek() {
                Some('*') => (0, None),
                Some('+') => (1, None),
                Some('?') => (0, Some(1)),
                Some('{') => match self.counted() {
                    Some((min, max, len)) => {
                        self.i += len - 1;
                        (min, max)
                    }
                    None => return Ok(atom),
                },
                _ => return Ok(atom),
            };
            self.i += 1;
            if self.peek() == Some('?') {
                self.i += 1; // lazy: the same matches for MatchString
            }
            if max.is_some_and(|m| m < min) || min > 1000 {
                return Err("invalid repeat count".into());
            }
            atom = Node::Repeat(Box::new(atom), min, max);
        }
    }

    /// `{n}`, `{n,}` or `{n,m}` at the cursor: (min, max, length), or None for a literal `{`.
    fn counted(&self) -> Option<(u32, Option<u32>, usize)> {
        let rest: String = self.chars[self.i..].iter().collect();
        let close = rest.find('}')?;
        let body = &rest[1..close];
        let number = |s: &str| (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten();
        let (min, max) = match body.split_once(',') {
            None => (number(body)?, Some(number(body)?)),
            Some((lo, "")) => (number(lo)?, None),
            Some((lo, hi)) => (number(lo)?, Some(number(hi)?)),
        };
        Some((min, max, rest[..=close].chars().count()))
    }
}

struct Matcher<'t> {
    text: &'t [char],
}

impl Matcher<'_> {
    /// Matches `nodes` at `i`, then the continuation.
    fn seq(&self, nodes: &[Node], i: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        match nodes.split_first() {
            None => k(i),
            Some((node, rest)) => self.one(node, i, &mut |j| self.seq(rest, j, k)),
        }
    }

    fn one(&self, node: &Node, i: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        let at = self.text.get(i).copied();
        match node {
            Node::Char(c) => at == Some(*c) && k(i + 1),
            Node::AnyButNewline => at.is_some_and(|c| c != '\n') && k(i + 1),
            Node::Class(class) => at.is_some_and(|c| class.contains(c)) && k(i + 1),
            Node::TextStart => i == 0 && k(i),
            Node::TextEnd => i == self.text.len() && k(i),
            Node::WordBoundary(want) => self.at_word_boundary(i) == *want && k(i),
            Node::Group(alts) => alts.iter().any(|alt| self.seq(alt, i, k)),
            Node::Repeat(body, min, max) => self.repeat(body, *min, *max, 0, i, k),
        }
    }

    /// `body` matched `count` times so far, ending at `i`: one more (unless at `max`, or
    /// the last one matched nothing beyond `min`), else stop if `min` is reached.
    fn repeat(
        &self,
        body: &Node,
        min: u32,
        max: Option<u32>,
        count: u32,
        i: usize,
        k: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
        if max.map_or(true, |m| count < m)
            && self.one(body, i, &mut |j| (j != i || count < min) && self.repeat(body, min, max, count + 1, j, k))
        {
            return true;
        }
        count >= min && k(i)
    }

    fn at_word_boundary(&self, i: usize) -> bool {
        let word = |c: Option<&char>| c.is_some_and(|&c| c.is_ascii_alphanumeric() || c == '_');
        let before = if i == 0 { false } else { word(self.text.get(i - 1)) };
        before != word(self.text.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        Regexp::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}")).is_match(text)
    }

    #[test]
    fn patterns_of_errorcheck_tests() {
        assert!(matches("undefined: x", "a.go:3:2: undefined: x"));
        assert!(matches("cannot use .* as type int", "cannot use s (variable of type string) as type int"));
        assert!(matches("&Bar{...} escapes to heap$", "&Bar{...} escapes to heap"));
        assert!(!matches("&Bar{...} escapes to heap$", "&Bar{...} escapes to heap too"));
        assert!(matches(r"\.{3} in call|invalid use of .*[.][.][.]", "invalid use of ... with x"));
        assert!(matches(r"\.{3} in call", "... in call"));
        assert!(matches(r"imported and not used: \x22math\x22$", "\"math\" imported and not used: \"math\""));
        assert!(matches(r"overflow|cannot convert", "constant 300 overflows byte"));
        assert!(matches(r"(?:a|b)c+d?$", "xbccc"));
        assert!(matches(r"^x\d{2,3}\b", "x123 y"));
        assert!(!matches(r"^x\d{2,3}\b", "x1234"));
        assert!(matches(r"[^a-c\]]z", "dz"));
        assert!(!matches(r"[^a-c\]]z", "]z"));
        assert!(!matches("a.b", "a\nb"));
        assert!(matches(r"(a*)*b", "aaab"));
        assert!(matches(r"\Qa.b\E", "a.b") && !matches(r"\Qa.b\E", "axb"));
        assert!(matches("", "anything"));
    }

    #[test]
    fn unsupported_syntax_is_refused() {
        assert!(Regexp::new("(?i)x").is_err());
        assert!(Regexp::new("[[:alpha:]]").is_err());
        assert!(Regexp::new("*x").is_err());
        assert!(Regexp::new("a)").is_err());
        assert!(Regexp::new("[ab").is_err());
        assert!(Regexp::new(r"\pL").is_err());
    }
}
