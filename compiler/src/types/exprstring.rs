//! Expressions printed back as Go source, the way gc quotes them in messages.

use crate::syntax::ast::{ExprId, ExprKind, File};

/// `e` as gc's syntax.String prints it (single-line, operators spaced).
pub fn expr_string(f: &File, e: ExprId) -> String {
    match &f[e].kind {
        ExprKind::Name(s) => s.as_str().to_string(),
        ExprKind::BasicLit { text, .. } => f.text(*text).to_string(),
        ExprKind::Paren(x) => format!("({})", expr_string(f, *x)),
        ExprKind::Selector { x, sel } => format!("{}.{}", expr_string(f, *x), expr_string(f, *sel)),
        ExprKind::Operation { op, x, y: None } => format!("{}{}", op.as_str(), expr_string(f, *x)),
        ExprKind::Operation { op, x, y: Some(y) } => {
            format!("{} {} {}", expr_string(f, *x), op.as_str(), expr_string(f, *y))
        }
        ExprKind::Call { fun, args, has_dots } => {
            let args: Vec<String> = f[*args].iter().map(|&a| expr_string(f, a)).collect();
            let dots = if *has_dots { "..." } else { "" };
            format!("{}({}{dots})", expr_string(f, *fun), args.join(", "))
        }
        ExprKind::Index { x, index } => format!("{}[{}]", expr_string(f, *x), expr_string(f, *index)),
        ExprKind::List(l) => f[*l].iter().map(|&a| expr_string(f, a)).collect::<Vec<_>>().join(", "),
        ExprKind::FuncLit { .. } => "func literal".into(),
        ExprKind::CompositeLit { typ: Some(t), .. } => format!("{}{{…}}", expr_string(f, *t)),
        _ => "expression".into(),
    }
}
