// The sample site's pages that the theme checks look at.
export const PAGES = {
  home: "/",
  article: "/2023/12/31/port-allard-rings-in-2024-with-fireworks-a-brass-band-and-a-polar-dip/",
  tag: "/tags/council/",
  day: "/2023/12/31/",
  search: "/search/",
  // An article with a task list, and one with a code block.
  tasks: "/2023/08/11/pilots-fans-rally-to-replace-the-allard-arenas-failing-ice-plant/",
  code: "/2026/05/13/harbour-authority-unveils-20-year-master-plan-for-the-port-allard-waterfront/",
};
