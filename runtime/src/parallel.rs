//! Work split over the machine's cores: synth renders actions, measures and
//! writes templates this way (each item is independent).

/// `f` over `items`, in order, on as many threads as there are cores.
pub(crate) fn map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = cores().min(items.len());
    if threads <= 1 {
        return items.into_iter().map(f).collect();
    }
    let size = items.len().div_ceil(threads);
    let mut items = items.into_iter();
    let chunks: Vec<Vec<T>> = (0..threads).map(|_| items.by_ref().take(size).collect()).collect();
    std::thread::scope(|scope| {
        let f = &f;
        let running: Vec<_> =
            chunks.into_iter().map(|chunk| scope.spawn(move || chunk.into_iter().map(f).collect::<Vec<R>>())).collect();
        running.into_iter().flat_map(|thread| thread.join().expect("a synth thread panicked")).collect()
    })
}

/// The cores this process may use, asked once: std reads the cgroup's
/// quota files on every call.
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        for n in [0, 1, 2, 3, 17, 100] {
            let results = super::map((0..n).collect(), |i: u32| i * 2);
            assert_eq!(results, (0..n).map(|i| i * 2).collect::<Vec<_>>(), "{n} items");
        }
    }
}
