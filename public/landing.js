// The empty chat's introduction: whose portfolio this is, what they do, and that every
// answer is a quote with its source (GET /api/landing, read from the index in service).
//
// Chainlit hides its starters once a message is in the thread, so the introduction is
// not a message: it is drawn into Chainlit's own welcome screen (#welcome-screen), under
// the logo and above the composer and starters, each time that screen appears and on
// every new chat, so a re-ingested portfolio shows its new name without a reload.
// Text goes in as text (textContent), never as markup. The tab's title follows too.
(() => {
  const ROOT = document.querySelector('meta[property="og:root_path"]')?.content || "";
  const ROUTE = `${ROOT}/api/landing`;
  const ID = "portfolio-landing";
  let filled = null; // the welcome screen last asked for

  function element(tag, className, text) {
    const node = document.createElement(tag);
    node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function render(landing) {
    const header = element("header", "portfolio-landing");
    header.id = ID;
    if (landing.name) header.append(element("h1", "portfolio-landing-name", landing.name));
    if (landing.headline) {
      header.append(element("p", "portfolio-landing-headline", landing.headline));
    }
    header.append(element("p", "portfolio-landing-note", landing.note));
    return header;
  }

  async function fill(screen) {
    let landing;
    try {
      const response = await fetch(ROUTE, { cache: "no-store" });
      if (!response.ok) return;
      landing = await response.json();
    } catch {
      return; // no introduction: the starters and the composer still work
    }
    document.title = landing.title;
    if (!screen.isConnected) return; // a message arrived (or a new chat began) meanwhile
    screen.querySelector(`#${ID}`)?.remove();
    const logo = screen.querySelector(":scope > img.logo");
    if (logo) logo.after(render(landing));
    else screen.prepend(render(landing));
  }

  function look() {
    const screen = document.getElementById("welcome-screen");
    if (screen && screen !== filled) {
      filled = screen;
      fill(screen);
    }
  }

  new MutationObserver(look).observe(document.body, { childList: true, subtree: true });
  // A new chat on an empty thread keeps the same welcome screen: ask again all the same.
  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("#new-chat-button")) {
      filled = null;
      setTimeout(look, 0);
    }
  }, true);
  look();
})();
