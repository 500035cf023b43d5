//! Short CPU work (password hashing: argon2id, about half a second) run on its own
//! thread so that the window never freezes; the result comes back as a message.

use iced::Task;

/// Runs `work` on a new thread; the task yields `to(Some(result))`, or `to(None)`
/// when the thread died (a panic in the work).
pub fn off_thread<T, M>(
    work: impl FnOnce() -> T + Send + 'static,
    to: impl Fn(Option<T>) -> M + Send + 'static,
) -> Task<M>
where
    T: Send + 'static,
    M: Send + 'static,
{
    let (tx, rx) = iced::futures::channel::oneshot::channel();
    std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    Task::perform(async move { rx.await.ok() }, to)
}

/// Runs a task to its end on the calling thread and returns the messages it
/// produced (tests and benchmarks: the simulator does not run tasks).
#[cfg(test)]
pub fn finish<M: Send + 'static>(task: Task<M>) -> Vec<M> {
    use iced::futures::StreamExt;
    let Some(stream) = iced_test::runtime::task::into_stream(task) else { return Vec::new() };
    iced::futures::executor::block_on(stream.collect::<Vec<_>>())
        .into_iter()
        .filter_map(|action| match action {
            iced_test::runtime::Action::Output(m) => Some(m),
            _ => None,
        })
        .collect()
}
