//! Table behaviour: array/hash split, borders, traversal with deletions.

use super::*;
use crate::bytecode::TagMethod;

fn s(heap: &mut crate::gc::Heap, text: &str) -> Value {
    Value::Str(heap.new_str(text.as_bytes()))
}

fn int(v: Value) -> i64 {
    match v {
        Value::Int(i) => i,
        other => panic!("not an int: {other:?}"),
    }
}

#[test]
fn appends_stay_in_array() {
    let t = Table::new(0, 0);
    for i in 1..=100 {
        let n = t.len();
        t.raw_set_int(n + 1, Value::Int(i));
    }
    assert_eq!(t.len(), 100);
    assert_eq!(t.array_len(), 100);
    assert_eq!(int(t.raw_get_int(57)), 57);
    assert!(t.raw_get_int(101).is_nil());
    assert!(t.raw_get_int(0).is_nil());
    assert!(t.raw_get_int(i64::MIN).is_nil());
}

#[test]
fn keys_are_normalised_and_checked() {
    let t = Table::new(0, 0);
    t.raw_set(Value::Float(2.0), Value::Int(7)).unwrap();
    assert_eq!(int(t.raw_get(Value::Int(2))), 7);
    assert_eq!(int(t.raw_get_int(2)), 7);
    assert_eq!(
        t.raw_set(Value::Nil, Value::Int(1)),
        Err(TableError::NilKey)
    );
    assert_eq!(
        t.raw_set(Value::Float(f64::NAN), Value::Int(1)),
        Err(TableError::NanKey)
    );
    assert!(t.raw_get(Value::Float(f64::NAN)).is_nil());
    assert!(t.raw_get(Value::Nil).is_nil());
    t.raw_set(Value::Float(2.5), Value::Int(3)).unwrap();
    assert_eq!(int(t.raw_get(Value::Float(2.5))), 3);
    t.raw_set(Value::Float(-0.0), Value::Int(9)).unwrap();
    assert_eq!(int(t.raw_get(Value::Int(0))), 9);
}

#[test]
fn string_keys_compare_by_bytes() {
    let mut heap = crate::gc::Heap::new();
    let t = Table::new(0, 0);
    let k1 = s(&mut heap, "name");
    let k2 = s(&mut heap, "name");
    t.raw_set(k1, Value::Int(1)).unwrap();
    assert_eq!(int(t.raw_get(k2)), 1);
    assert_eq!(int(t.raw_get_str(k2)), 1);
    assert_eq!(int(t.raw_get_bytes(b"name")), 1);
    assert!(t.raw_get_bytes(b"other").is_nil());
    for n in 0..1000 {
        let k = s(&mut heap, &format!("k{n}"));
        t.raw_set(k, Value::Int(n)).unwrap();
    }
    for n in (0..1000).step_by(7) {
        assert_eq!(int(t.raw_get_bytes(format!("k{n}").as_bytes())), n);
    }
}

#[test]
fn sparse_then_dense_migrates() {
    let t = Table::new(0, 0);
    for i in (1..=64).rev() {
        t.raw_set_int(i, Value::Int(i));
    }
    assert_eq!(t.len(), 64);
    assert_eq!(t.array_len(), 64);
    let u = Table::new(0, 0);
    for i in [1, 2, 4, 5, 6, 8, 3] {
        u.raw_set_int(i, Value::Bool(true));
    }
    assert!(u.array_len() >= 6);
    let b = u.len();
    assert!(b == 6 || b == 8, "border {b}");
}

#[test]
fn border_with_holes() {
    let t = Table::new(5, 0);
    for i in [1, 2, 3, 5] {
        t.raw_set_int(i, Value::Int(i));
    }
    assert_eq!(t.len(), 5);
    let t = Table::new(5, 0);
    for i in [1, 2, 3] {
        t.raw_set_int(i, Value::Int(i));
    }
    assert_eq!(t.len(), 3);
    t.raw_set_int(3, Value::Nil);
    assert_eq!(t.len(), 2);
    let e = Table::new(0, 0);
    assert_eq!(e.len(), 0);
    e.raw_set_int(2, Value::Int(2));
    assert_eq!(e.len(), 0);
    // border continuing into the hash part
    let h = Table::new(0, 0);
    h.raw_set_int(1, Value::Int(1));
    h.raw_set_int(3, Value::Int(3));
    h.raw_set_int(2, Value::Int(2));
    assert_eq!(h.len(), 3);
}

#[test]
fn next_visits_everything_once_even_when_clearing() {
    let mut heap = crate::gc::Heap::new();
    let t = Table::new(0, 0);
    for i in 1..=10 {
        t.raw_set_int(i, Value::Int(i));
    }
    for n in 0..50 {
        let k = s(&mut heap, &format!("f{n}"));
        t.raw_set(k, Value::Int(n)).unwrap();
    }
    t.raw_set(Value::Float(0.5), Value::Int(0)).unwrap();
    let mut seen = 0;
    let mut k = Value::Nil;
    while let Ok(Some((nk, _))) = t.next(k) {
        seen += 1;
        // clear the current field during traversal (allowed in Lua)
        t.raw_set(nk, Value::Nil).unwrap();
        k = nk;
    }
    assert_eq!(seen, 61);
    assert!(t.is_empty());
    assert!(matches!(t.next(Value::Nil), Ok(None)));
    let other = s(&mut heap, "absent");
    assert!(t.next(other).is_err());
    assert!(t.entries().is_empty());
}

#[test]
fn tombstones_are_revived_and_purged() {
    let mut heap = crate::gc::Heap::new();
    let t = Table::new(0, 0);
    let k = s(&mut heap, "x");
    t.raw_set(k, Value::Int(1)).unwrap();
    t.raw_set(k, Value::Nil).unwrap();
    assert!(t.raw_get(k).is_nil());
    t.raw_set(k, Value::Int(2)).unwrap();
    assert_eq!(int(t.raw_get(k)), 2);
    for n in 0..10_000 {
        let key = s(&mut heap, &format!("t{n}"));
        t.raw_set(key, Value::Int(n)).unwrap();
        t.raw_set(key, Value::Nil).unwrap();
    }
    assert_eq!(t.entries().len(), 1);
    assert!(t.hash_nodes() < 100);
}

#[test]
fn metamethod_absence_cache_resets() {
    let mut heap = crate::gc::Heap::new();
    let mt = Table::new(0, 0);
    assert!(mt.tag_method(TagMethod::Index).is_nil());
    let k = s(&mut heap, "__index");
    mt.raw_set(k, Value::Int(5)).unwrap();
    assert_eq!(int(mt.tag_method(TagMethod::Index)), 5);
    assert!(mt.tag_method(TagMethod::Add).is_nil());
}

#[test]
fn resize_never_duplicates_keys() {
    // keys 1,2,3 and 5 in the hash part; a rehash moves 1..4 to the array,
    // then setting 4 must not leave 5 in both parts
    let t = Table::new(0, 0);
    for i in [5, 1, 2, 3] {
        t.raw_set_int(i, Value::Int(i));
    }
    let mut heap = crate::gc::Heap::new();
    for n in 0..20 {
        let k = s(&mut heap, &format!("x{n}"));
        t.raw_set(k, Value::Int(n)).unwrap();
    }
    t.raw_set_int(4, Value::Int(4));
    t.raw_set_int(5, Value::Int(50));
    let ints: Vec<i64> = t
        .entries()
        .iter()
        .filter_map(|(k, _)| match k {
            Value::Int(i) => Some(*i),
            _ => None,
        })
        .collect();
    assert_eq!(ints, vec![1, 2, 3, 4, 5]);
    assert_eq!(int(t.raw_get_int(5)), 50);
    assert_eq!(t.len(), 5);
}

#[test]
fn random_operations_match_a_model() {
    use std::collections::HashMap;
    let t = Table::new(0, 0);
    let mut model: HashMap<i64, i64> = HashMap::new();
    let mut seed: u64 = 12345;
    for step in 0..20_000 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let key = ((seed >> 33) % 64) as i64 - 4;
        let set = !(seed >> 20).is_multiple_of(3);
        if set {
            t.raw_set_int(key, Value::Int(step));
            model.insert(key, step);
        } else {
            t.raw_set_int(key, Value::Nil);
            model.remove(&key);
        }
        if step % 97 == 0 {
            let mut got: Vec<(i64, i64)> = t
                .entries()
                .iter()
                .map(|(k, v)| (int(*k), int(*v)))
                .collect();
            got.sort();
            let mut want: Vec<(i64, i64)> = model.iter().map(|(k, v)| (*k, *v)).collect();
            want.sort();
            assert_eq!(got, want, "step {step}");
            let b = t.len();
            assert!(b == 0 || model.contains_key(&b), "border {b}");
            assert!(!model.contains_key(&(b + 1)), "border {b}");
        }
    }
}

#[test]
fn assigning_existing_fields_during_traversal_keeps_order() {
    // {1,2,3} then key 5: a resize leaves 5 in the hash part; 4 fills the
    // array; re-assigning 5 during a traversal must not move it
    let t = Table::new(0, 0);
    for i in [1, 2, 3, 5] {
        t.raw_set_int(i, Value::Int(i));
    }
    t.raw_set_int(4, Value::Int(4));
    let mut seen = Vec::new();
    let mut k = Value::Nil;
    while let Ok(Some((nk, _))) = t.next(k) {
        seen.push(int(nk));
        t.raw_set(nk, Value::Int(100)).unwrap();
        k = nk;
    }
    seen.sort();
    assert_eq!(seen, vec![1, 2, 3, 4, 5]);
    assert_eq!(t.len(), 5);
}

#[test]
fn border_prefers_last_but_one_like_lua() {
    let t = Table::new(6, 0);
    for i in [1, 2, 3, 5] {
        t.raw_set_int(i, Value::Int(i));
    }
    assert_eq!(t.len(), 5);
}

#[test]
fn random_traversals_with_updates_visit_each_key_once() {
    let mut seed: u64 = 99;
    let mut rnd = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        seed >> 33
    };
    for _round in 0..200 {
        let t = Table::new(0, 0);
        let n = rnd() % 40;
        for _ in 0..n {
            let k = (rnd() % 48) as i64 - 2;
            t.raw_set_int(k, Value::Int(k));
        }
        let before: Vec<i64> = t.entries().iter().map(|(k, _)| int(*k)).collect();
        let mut seen = Vec::new();
        let mut k = Value::Nil;
        loop {
            match t.next(k) {
                Ok(Some((nk, _))) => {
                    seen.push(int(nk));
                    // update or clear the current field (allowed in Lua)
                    let v = if rnd() % 2 == 0 {
                        Value::Nil
                    } else {
                        Value::Int(7)
                    };
                    t.raw_set(nk, v).unwrap();
                    k = nk;
                }
                Ok(None) => break,
                Err(()) => panic!("lost key during traversal"),
            }
        }
        let mut a = before.clone();
        a.sort();
        seen.sort();
        assert_eq!(seen, a);
    }
}

#[test]
fn queue_pattern_keeps_memory_bounded() {
    let t = Table::new(0, 0);
    let (mut head, mut tail) = (1i64, 0i64);
    for step in 0..200_000i64 {
        tail += 1;
        t.raw_set_int(tail, Value::Int(step));
        if tail - head >= 3 {
            assert_eq!(int(t.raw_get_int(head)), head - 1);
            t.raw_set_int(head, Value::Nil);
            head += 1;
        }
    }
    assert!(t.array_len() < 1000, "array part {}", t.array_len());
    assert!(t.hash_nodes() < 1000, "hash part {}", t.hash_nodes());
    let live: Vec<i64> = t.entries().iter().map(|(k, _)| int(*k)).collect();
    assert_eq!(live.len(), 3);
    for k in live {
        assert!(k >= head && k <= tail);
    }
}

#[test]
fn byte_lookups_hash_like_string_keys() {
    let mut heap = crate::gc::Heap::new();
    let t = Table::new(0, 0);
    for n in 0..200 {
        let k = s(&mut heap, &format!("__k{n}"));
        t.raw_set(k, Value::Int(n)).unwrap();
    }
    let k = s(&mut heap, "__index");
    t.raw_set(k, Value::Int(-1)).unwrap();
    for n in 0..200 {
        assert_eq!(int(t.raw_get_bytes(format!("__k{n}").as_bytes())), n);
    }
    assert_eq!(int(t.tag_method(TagMethod::Index)), -1);
}

#[test]
fn strided_integer_keys_stay_fast() {
    let t = Table::new(0, 0);
    for shift in 0..40 {
        for i in 1..2000i64 {
            t.raw_set_int((2 * i + 1) << shift, Value::Int(i));
        }
    }
    for shift in 0..40 {
        for i in 1..2000i64 {
            assert_eq!(int(t.raw_get_int((2 * i + 1) << shift)), i);
        }
    }
}

#[test]
fn tables_and_nodes_are_small() {
    // with the heap's one-word header a table fills a 64-byte slot
    assert_eq!(std::mem::size_of::<Table>(), 56);
    assert_eq!(std::mem::size_of::<super::super::table_hash::Node>(), 32);
    let t = Table::new(0, 0);
    assert_eq!(t.hash_nodes(), 0);
    assert_eq!(crate::gc::GcObject::heap_size(&t), 0);
}

#[test]
fn cleared_metamethod_field_is_seen_again() {
    let mut heap = crate::gc::Heap::new();
    let mt = Table::new(0, 0);
    let k = s(&mut heap, "__index");
    mt.raw_set(k, Value::Int(1)).unwrap();
    mt.raw_set(k, Value::Nil).unwrap();
    assert!(mt.tag_method(TagMethod::Index).is_nil());
    mt.raw_set(k, Value::Int(2)).unwrap();
    assert_eq!(int(mt.tag_method(TagMethod::Index)), 2);
}

#[test]
fn small_parts_find_every_key_by_string() {
    let mut heap = crate::gc::Heap::new();
    let names: Vec<Value> = (0..40).map(|i| s(&mut heap, &format!("k{i}"))).collect();
    for n in 0..=9usize {
        let t = Table::new(0, 0);
        for (j, k) in names.iter().take(n).enumerate() {
            t.raw_set(*k, Value::Int(j as i64)).unwrap();
        }
        for (j, k) in names.iter().enumerate() {
            let Value::Str(ks) = *k else { unreachable!() };
            let got = t.get_str(ks);
            if j < n {
                assert_eq!(int(got), j as i64, "{n} keys, key {j}");
            } else {
                assert!(got.is_nil(), "{n} keys, absent key {j}");
            }
            assert!(got.raw_eq(&t.raw_get(*k)));
        }
        // cleared fields (tombstones) read as nil, and come back
        if n > 0 {
            t.raw_set(names[0], Value::Nil).unwrap();
            let Value::Str(k0) = names[0] else {
                unreachable!()
            };
            assert!(t.get_str(k0).is_nil());
            t.raw_set(names[0], Value::Int(99)).unwrap();
            assert_eq!(int(t.get_str(k0)), 99);
        }
    }
    // a long (not interned) key
    let long = "x".repeat(100);
    let (a, b) = (s(&mut heap, &long), s(&mut heap, &long));
    let t = Table::new(0, 0);
    t.raw_set(a, Value::Int(5)).unwrap();
    let Value::Str(bs) = b else { unreachable!() };
    assert_eq!(int(t.get_str(bs)), 5);
}
