//! Index and slice expressions and indexed composite literal elements (types2's index.go).

use super::check::Checker;
use super::operand::{Mode, Operand};
use super::resolver::unpack;
use super::ty::*;
use crate::syntax::ast::{ExprId, ExprKind};

impl<'a> Checker<'a> {
    /// Checks `x[index]`; returns true if it is a function instantiation (x is generic).
    pub(crate) fn index_expr(&mut self, x: &mut Operand, e: ExprId) -> bool {
        let f = self.file();
        let ExprKind::Index { x: xe, index } = f[e].kind else { return false };
        self.expr_or_type(x, xe, true);
        match x.mode {
            Mode::Invalid => {
                self.use_exprs(&[index]);
                return false;
            }
            Mode::TypeExpr => {
                x.mode = Mode::Invalid;
                x.typ = self.var_type(e);
                if x.typ != TypeId::INVALID {
                    x.mode = Mode::TypeExpr;
                }
                return false;
            }
            Mode::Value => {
                let u = self.w.under(x.typ);
                if self.w.sig(u).is_some_and(|s| !s.tparams.is_empty()) {
                    return true;
                }
            }
            _ => {}
        }
        self.non_generic(x);
        if x.mode == Mode::Invalid {
            return false;
        }
        let mut valid = false;
        let mut length: i64 = -1;
        let u = self.w.under(x.typ);
        match self.w.ty(u).clone() {
            Type::Basic(_) | Type::BasicAlias(..) if self.w.is_string(u) => {
                valid = true;
                if x.mode == Mode::Constant {
                    length = x.val.as_bytes().map_or(-1, |b| b.len() as i64);
                }
                x.mode = Mode::Value;
                x.typ = BYTE;
            }
            Type::Array(n, elem) => {
                valid = true;
                length = n;
                if x.mode != Mode::Variable {
                    x.mode = Mode::Value;
                }
                x.typ = elem;
            }
            Type::Pointer(b) => {
                let bu = self.w.under(b);
                if let Type::Array(n, elem) = *self.w.ty(bu) {
                    valid = true;
                    length = n;
                    x.mode = Mode::Variable;
                    x.typ = elem;
                }
            }
            Type::Slice(elem) => {
                valid = true;
                x.mode = Mode::Variable;
                x.typ = elem;
            }
            Type::Map(k, v) => {
                let Some(index) = self.single_index(e) else {
                    x.mode = Mode::Invalid;
                    return false;
                };
                let mut key = Operand::default();
                self.expr(&mut key, index);
                self.assignment(&mut key, Some(k), "map index");
                x.mode = Mode::MapIndex;
                x.typ = v;
                x.expr = Some(e);
                return false;
            }
            Type::Interface(_) if self.w.is_type_param(x.typ) => {
                if let Some(r) = self.index_type_param(x) {
                    match r {
                        TParamIndex::Map(k, v) => {
                            let Some(index) = self.single_index(e) else {
                                x.mode = Mode::Invalid;
                                return false;
                            };
                            let mut key = Operand::default();
                            self.expr(&mut key, index);
                            self.assignment(&mut key, Some(k), "map index");
                            x.mode = Mode::MapIndex;
                            x.typ = v;
                            x.expr = Some(e);
                            return false;
                        }
                        TParamIndex::Other(mode, elem, len) => {
                            valid = true;
                            x.mode = mode;
                            x.typ = elem;
                            length = len;
                        }
                    }
                }
            }
            _ => {}
        }
        if !valid {
            let msg = format!("invalid operation: cannot index {}", self.opnd(x));
            self.error(super::check::At::Pos(f[e].pos), msg);
            x.mode = Mode::Invalid;
            return false;
        }
        let Some(index) = self.single_index(e) else {
            x.mode = Mode::Invalid;
            return false;
        };
        self.index(index, length);
        false
    }

    /// Indexing a value of type parameter type: all types in its type set must agree.
    fn index_type_param(&mut self, x: &Operand) -> Option<TParamIndex> {
        let us = self.w.tparam_under_terms(x.typ)?;
        let mut key: Option<TypeId> = None;
        let mut elem: Option<TypeId> = None;
        let mut length: i64 = -1;
        let mut mode = Mode::Variable;
        for u in us {
            let (mut l, mut k, mut el) = (-1i64, None, None);
            match self.w.ty(u).clone() {
                Type::Basic(_) | Type::BasicAlias(..) if self.w.is_string(u) => {
                    el = Some(BYTE);
                    mode = Mode::Value;
                }
                Type::Array(n, e) => {
                    l = n;
                    el = Some(e);
                    if x.mode != Mode::Variable {
                        mode = Mode::Value;
                    }
                }
                Type::Pointer(b) => {
                    let bu = self.w.under(b);
                    if let Type::Array(n, e) = *self.w.ty(bu) {
                        l = n;
                        el = Some(e);
                    }
                }
                Type::Slice(e) => el = Some(e),
                Type::Map(mk, mv) => {
                    k = Some(mk);
                    el = Some(mv);
                }
                _ => {}
            }
            let e = el?;
            match elem {
                None => {
                    length = l;
                    key = k;
                    elem = Some(e);
                }
                Some(prev) => {
                    match (key, k) {
                        (None, None) => {}
                        (Some(a), Some(b)) if self.w.identical(a, b) => {}
                        _ => return None,
                    }
                    if !self.w.identical(prev, e) {
                        return None;
                    }
                    if l >= 0 && l < length {
                        length = l;
                    }
                }
            }
        }
        let elem = elem?;
        Some(match key {
            Some(k) => TParamIndex::Map(k, elem),
            None => TParamIndex::Other(mode, elem, length),
        })
    }

    /// Checks `x[lo:hi:max]`.
    pub(crate) fn slice_expr(&mut self, x: &mut Operand, e: ExprId) {
        let f = self.file();
        let ExprKind::Slice { x: xe, index, full } = f[e].kind else { return };
        self.expr(x, xe);
        if x.mode == Mode::Invalid {
            let idx: Vec<ExprId> = index.iter().flatten().copied().collect();
            self.use_exprs(&idx);
            return;
        }
        let mut valid = false;
        let mut length: i64 = -1;
        let Some(u) = self.w.core_string(x.typ) else {
            let msg = format!("invalid operation: cannot slice {}: {} has no core type", self.opnd(x), self.ts(x.typ));
            self.error(self.at(x), msg);
            x.mode = Mode::Invalid;
            return;
        };
        match self.w.ty(u).clone() {
            Type::Basic(_) | Type::BasicAlias(..) if self.w.is_string(u) => {
                if full {
                    let at = index[2].unwrap_or(e);
                    self.err_expr(at, "invalid operation: 3-index slice of string".into());
                    x.mode = Mode::Invalid;
                    return;
                }
                valid = true;
                if x.mode == Mode::Constant {
                    length = x.val.as_bytes().map_or(-1, |b| b.len() as i64);
                }
                if self.w.is_untyped(x.typ) {
                    x.typ = BasicKind::String.id();
                }
            }
            Type::Array(n, elem) => {
                valid = true;
                length = n;
                if x.mode != Mode::Variable {
                    let msg = format!("invalid operation: {} (slice of unaddressable value)", self.opnd(x));
                    self.error(self.at(x), msg);
                    x.mode = Mode::Invalid;
                    return;
                }
                x.typ = self.w.slice(elem);
            }
            Type::Pointer(b) => {
                let bu = self.w.under(b);
                if let Type::Array(n, elem) = *self.w.ty(bu) {
                    valid = true;
                    length = n;
                    x.typ = self.w.slice(elem);
                }
            }
            Type::Slice(_) => valid = true,
            _ => {}
        }
        if !valid {
            let msg = format!("invalid operation: cannot slice {}", self.opnd(x));
            self.error(self.at(x), msg);
            x.mode = Mode::Invalid;
            return;
        }
        x.mode = Mode::Value;
        if full && (index[1].is_none() || index[2].is_none()) {
            self.err_expr(e, "invalid AST: 2nd and 3rd index required in 3-index slice".into());
            x.mode = Mode::Invalid;
            return;
        }
        let mut ind = [-1i64; 3];
        for (i, ex) in index.iter().enumerate() {
            ind[i] = match ex {
                Some(ex) => {
                    let max = if length >= 0 { length + 1 } else { -1 };
                    let (_, v) = self.index(*ex, max);
                    if v >= 0 {
                        v
                    } else {
                        -1
                    }
                }
                None if i == 0 => 0,
                None if length >= 0 => length,
                None => -1,
            };
        }
        'outer: for i in 0..2 {
            let xv = ind[i];
            if xv > 0 {
                for j in i + 1..3 {
                    let y = ind[j];
                    if y >= 0 && y < xv {
                        if let Some(at) = index[j] {
                            self.err_expr(at, format!("invalid slice indices: {y} < {xv}"));
                        }
                        break 'outer;
                    }
                }
            }
        }
    }

    fn single_index(&mut self, e: ExprId) -> Option<ExprId> {
        let f = self.file();
        let ExprKind::Index { index, .. } = f[e].kind else { return None };
        if let ExprKind::List(l) = f[index].kind {
            let elems = f[l].to_vec();
            if elems.len() <= 1 {
                self.err_expr(e, "invalid AST: invalid use of ListExpr for index expression".into());
                return None;
            }
            self.err_expr(elems[1], "invalid operation: more than one index".into());
            return Some(elems[0]);
        }
        Some(index)
    }

    /// Checks an index value (must be a non-negative integer below `max` if max >= 0);
    /// returns its type and constant value (-1 if not constant).
    pub(crate) fn index(&mut self, index: ExprId, max: i64) -> (TypeId, i64) {
        let mut x = Operand::default();
        self.expr(&mut x, index);
        if !self.is_valid_index(&mut x, "index", false) {
            return (TypeId::INVALID, -1);
        }
        if x.mode != Mode::Constant {
            return (x.typ, -1);
        }
        if x.val.is_unknown() {
            return (TypeId::INVALID, -1);
        }
        let v = x.val.to_i64().unwrap_or(-1);
        if max >= 0 && v >= max {
            let msg = format!("invalid argument: index {} out of bounds [0:{max}]", x.val.describe());
            self.error(self.at(&x), msg);
            return (TypeId::INVALID, -1);
        }
        (x.typ, v)
    }

    /// Checks that `x` can be used as an index (or size) argument.
    pub(crate) fn is_valid_index(&mut self, x: &mut Operand, what: &str, allow_negative: bool) -> bool {
        if x.mode == Mode::Invalid {
            return false;
        }
        self.convert_untyped(x, BasicKind::Int.id());
        if x.mode == Mode::Invalid {
            return false;
        }
        if !self.w.all_integer(x.typ) {
            let msg = format!("invalid argument: {what} {} must be integer", self.opnd(x));
            self.error(self.at(x), msg);
            return false;
        }
        if x.mode == Mode::Constant {
            if !allow_negative && x.val.sign() < 0 {
                let msg = format!("invalid argument: {what} {} must not be negative", self.opnd(x));
                self.error(self.at(x), msg);
                return false;
            }
            let mut v = x.val.clone();
            if !self.representable_const(&x.val, BasicKind::Int, Some(&mut v)) {
                let msg = format!("invalid argument: {what} {} overflows int", self.opnd(x));
                self.error(self.at(x), msg);
                return false;
            }
            x.val = v;
        }
        true
    }

    /// Checks the elements of an array or slice literal; returns the length.
    pub(crate) fn indexed_elts(&mut self, elts: &[ExprId], typ: TypeId, length: i64) -> i64 {
        let f = self.file();
        let mut visited: std::collections::HashSet<i64> = std::collections::HashSet::new();
        let (mut index, mut max) = (0i64, 0i64);
        for &e in elts {
            let mut valid_index = false;
            let mut eval = e;
            if let ExprKind::KeyValue { key, value } = f[e].kind {
                let (t, i) = self.index(key, length);
                if t != TypeId::INVALID {
                    if i >= 0 {
                        index = i;
                        valid_index = true;
                    } else {
                        let msg = format!("index {} must be integer constant", self.es(key));
                        self.err_expr(e, msg);
                    }
                }
                eval = value;
            } else if length >= 0 && index >= length {
                self.err_expr(e, format!("index {index} is out of bounds (>= {length})"));
            } else {
                valid_index = true;
            }
            if valid_index && !visited.insert(index) {
                self.err_expr(e, format!("duplicate index {index} in array or slice literal"));
            }
            index += 1;
            max = max.max(index);
            let mut x = Operand::default();
            self.expr_with_hint(&mut x, eval, typ);
            self.assignment(&mut x, Some(typ), "array or slice literal");
        }
        max
    }

    /// The index expressions of an `x[a, b]` instantiation.
    pub(crate) fn index_list(&self, e: ExprId) -> Vec<ExprId> {
        let f = self.file();
        match f[e].kind {
            ExprKind::Index { index, .. } => unpack(f, Some(index)),
            _ => Vec::new(),
        }
    }
}

enum TParamIndex {
    Map(TypeId, TypeId),
    Other(Mode, TypeId, i64),
}
