//! A small executor for the clients' futures, with a guard against traps.
//!
//! Why not `wasm_bindgen_futures::future_to_promise`: its futures are polled from a microtask
//! closure of its own, so a panic (with `panic = "abort"`, a trap) inside a poll escapes as an
//! uncaught `WebAssembly.RuntimeError` and the call's promise never settles. Here every poll
//! runs from `js/support.js`'s `schedulePoll`, inside a `try`: a trap marks the instance broken
//! and rejects every pending call with a `VpsgateError` of code 100 (`panic`, the C library's
//! number), and later calls fail with the same error (see `support.js`, `fail`).
//!
//! It also keeps the binary small: one poll function for every client method instead of one
//! promise adapter per method's future type.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use js_sys::Promise;
use wasm_bindgen::prelude::*;

/// A spawned call: resolves to the JS result or rejects with a JS error.
pub type Task = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

#[wasm_bindgen(module = "/js/support.js")]
extern "C" {
    #[wasm_bindgen(js_name = startCall)]
    fn start_call(id: u32) -> Promise;
    #[wasm_bindgen(js_name = settleCall)]
    fn settle_call(id: u32, ok: bool, value: &JsValue);
    #[wasm_bindgen(js_name = schedulePoll)]
    fn schedule_poll(id: u32);
    #[wasm_bindgen(js_name = setPoller)]
    fn set_poller(poll: &Closure<dyn FnMut(u32)>);
}

/// A task id's state.
enum Slot {
    /// Free for the next call (a stale wake-up of a finished task may then poll another task
    /// once more than needed, which a future allows).
    Free,
    /// Being polled right now.
    Running,
    /// Waiting to be polled.
    Waiting(Task),
}

thread_local! {
    static TASKS: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
    static INSTALLED: Cell<bool> = const { Cell::new(false) };
}

/// Wakes a task by asking `support.js` to poll it on a microtask.
struct TaskWaker(u32);

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        schedule_poll(self.0);
    }
    fn wake_by_ref(self: &Arc<Self>) {
        schedule_poll(self.0);
    }
}

/// Registers the poll function with `support.js` once (at instantiation, or at the first
/// call where no start function ran, as under wasm-bindgen-test).
pub(crate) fn install() {
    if INSTALLED.with(|i| i.replace(true)) {
        return;
    }
    let poll = Closure::<dyn FnMut(u32)>::new(poll);
    set_poller(&poll);
    poll.forget();
}

/// Run `task` to completion on microtasks; the returned promise settles with its result.
pub fn spawn(task: Task) -> Promise {
    install();
    let id = TASKS.with(|tasks| {
        let mut tasks = tasks.borrow_mut();
        match tasks.iter().position(|s| matches!(s, Slot::Free)) {
            Some(i) => {
                tasks[i] = Slot::Waiting(task);
                i
            }
            None => {
                tasks.push(Slot::Waiting(task));
                tasks.len() - 1
            }
        }
    }) as u32;
    let promise = start_call(id);
    schedule_poll(id);
    promise
}

/// Poll task `id` once (no-op when it is finished).
fn poll(id: u32) {
    let taken = TASKS.with(|tasks| {
        let mut tasks = tasks.borrow_mut();
        let slot = tasks.get_mut(id as usize)?;
        match std::mem::replace(slot, Slot::Running) {
            Slot::Waiting(task) => Some(task),
            other => {
                *slot = other;
                None
            }
        }
    });
    let Some(mut task) = taken else {
        return;
    };
    let waker = Waker::from(Arc::new(TaskWaker(id)));
    match task.as_mut().poll(&mut Context::from_waker(&waker)) {
        Poll::Pending => TASKS.with(|tasks| tasks.borrow_mut()[id as usize] = Slot::Waiting(task)),
        Poll::Ready(result) => {
            drop(task);
            TASKS.with(|tasks| tasks.borrow_mut()[id as usize] = Slot::Free);
            let (ok, value) = match result {
                Ok(v) => (true, v),
                Err(e) => (false, e),
            };
            settle_call(id, ok, &value);
        }
    }
}
