// The sample site's pages that the theme checks look at.
export const PAGES = {
  home: "/",
  article: "/2023/12/31/port-allard-rings-in-2024-with-fireworks-a-brass-band-and-a-polar-dip/",
  tag: "/tags/council/",
  day: "/2023/12/31/",
  search: "/search/",
};
