// Page behaviour that needs no server round trip (run once, from the header block's js_on_load).
// - a [n] marker opens its reply's sources panel and the passage, scrolls to it and highlights it;
// - a follow-up question button puts the question into the message box and focuses it;
// - scrolling: while an answer streams the conversation follows it; once the reply is complete
//   it is scrolled to the question it answers, so the answer is read from its start.
(() => {
  if (window.__advisorPage) return;
  window.__advisorPage = true;

  const chat = () => document.getElementById("adv-chat");
  const messageBox = () => document.querySelector("#adv-box textarea, #adv-box input");

  const scroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (/(auto|scroll)/.test(style.overflowY) && p.scrollHeight > p.clientHeight) return p;
    }
    return null;
  };

  // Scroll the conversation (not the whole page) so that `el` sits near its top.
  const scrollToTop = (el, offset = 12) => {
    const box = scroller(el);
    if (!box) return el.scrollIntoView({ block: "start" });
    box.scrollTop += el.getBoundingClientRect().top - box.getBoundingClientRect().top - offset;
  };

  const flash = (el) => {
    el.classList.remove("adv-flash");
    void el.offsetWidth; // restart the animation
    el.classList.add("adv-flash");
  };

  document.addEventListener("click", (event) => {
    const cite = event.target.closest("a.adv-cite");
    if (cite) {
      const target = document.getElementById((cite.getAttribute("href") || "").slice(1));
      if (!target) return;
      event.preventDefault();
      const panel = target.closest("details.adv-sources");
      if (panel) panel.open = true;
      const item = target.querySelector("details.adv-src-item");
      if (item) item.open = true;
      scrollToTop(target, 48);
      target.focus({ preventScroll: true });
      flash(target);
      return;
    }
    const followUp = event.target.closest("button.adv-followup");
    if (followUp) {
      const box = messageBox();
      if (!box) return;
      box.value = followUp.dataset.question + " ";
      box.dispatchEvent(new Event("input", { bubbles: true }));
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    }
  });

  let lastTurn = 0;
  const follow = () => {
    const root = chat();
    if (!root) return;
    const replies = root.querySelectorAll(".adv-reply");
    const live = root.querySelector(".adv-pending, .adv-streaming");
    if (live) {
      const box = scroller(live);
      if (box) box.scrollTop = box.scrollHeight;
      return;
    }
    const turn = replies.length ? Number(replies[replies.length - 1].id.replace(/\D+/g, "")) : 0;
    if (turn > lastTurn) {
      const questions = root.querySelectorAll(".adv-user");
      const question = questions[questions.length - 1];
      if (question) scrollToTop(question.closest(".message-row") || question);
    }
    lastTurn = turn;
  };

  const watch = () => {
    const root = chat();
    if (!root) return setTimeout(watch, 200);
    let pending = false;
    new MutationObserver(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; follow(); });
    }).observe(root, { childList: true, subtree: true });
  };
  watch();
})();
