#!/usr/bin/env bash
# Makes the seed corpora, fuzz/seeds/<target>/, from the project's fixtures
# (tests/fixtures/**, the importers' in tests/fixtures/import/) and the
# sample site (content/, gazette.toml, data/), plus a few hand-picked
# inputs written below. The seeds are committed; run this again when the
# fixtures change, and commit what changed. Needs bash, find, awk, perl.
#
#   fuzz/make-seeds.sh
#
# Each seed has the input format of its target (see fuzz/fuzz_targets/*.rs):
# jekyll takes "PATH\nTEXT", hugo "HUGO.TOML\0PATH\nTEXT", import_config
# "NAME\nTEXT".
set -euo pipefail

cd "$(dirname "$0")/.."
fixtures=tests/fixtures
import=$fixtures/import
out=fuzz/seeds
targets=(front_matter markdown config wordpress jekyll hugo import_config html)

rm -rf "$out"
for t in "${targets[@]}"; do mkdir -p "$out/$t"; done

# A seed's file name: its source path with `/` as `--`.
name() { sed 's#^tests/fixtures/##; s#/#--#g' <<<"$1"; }

# The body of an article file: what follows its front matter block.
body() {
  awk 'NR == 1 && ($0 == "---" || $0 == "+++") { fence = $0; inside = 1; next }
       inside && $0 == fence { inside = 0; next }
       !inside { print }' "$1"
}

# Articles, with front matter (YAML, TOML, JSON) and without, broken ones
# included.
while IFS= read -r f; do
  cp "$f" "$out/front_matter/$(name "$f")"
  body "$f" >"$out/markdown/$(name "$f")"
done < <(find "$fixtures" content -name '*.md' -type f | sort)

while IFS= read -r f; do
  cp "$f" "$out/config/$(name "$f")"
done < <(find "$fixtures" -name gazette.toml -type f | sort; echo gazette.toml)

# WordPress: the export fixture, and a small one (a draft, a page, an
# attachment used as a featured image, a Co-Authors Plus author, comments).
cp "$import/wordpress/export.xml" "$out/wordpress/export.xml"
cat >"$out/wordpress/small.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>A &amp; B</title><link>https://ex.com/blog</link><language>fr</language>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://ex.com/blog</wp:base_blog_url>
<wp:author><wp:author_login><![CDATA[ann]]></wp:author_login><wp:author_display_name><![CDATA[Ann &#8216;A&#8217;]]></wp:author_display_name></wp:author>
<item><title>Photo</title><wp:post_id>7</wp:post_id><wp:post_type>attachment</wp:post_type><wp:attachment_url>https://ex.com/blog/wp-content/uploads/2020/01/a b.jpg</wp:attachment_url><excerpt:encoded><![CDATA[The <em>pier</em>]]></excerpt:encoded><wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[Pier]]></wp:meta_value></wp:postmeta></item>
<item><title><![CDATA[Caf&eacute; <b>opens</b>]]></title><link>https://ex.com/blog/2020/01/cafe/</link><dc:creator>ann</dc:creator>
<content:encoded><![CDATA[First line
second line

[caption id="x" width="300"]<img src="https://ex.com/blog/wp-content/uploads/2020/01/a.jpg" alt="A" /> A caption[/caption]

<!-- wp:paragraph --><p>Block</p><!-- /wp:paragraph -->
[embed]https://video.example/1[/embed] [gallery ids="1,2"]
<pre>a

b</pre>]]></content:encoded>
<wp:post_id>8</wp:post_id><wp:post_date>2020-01-05 10:00:00</wp:post_date><wp:post_date_gmt>2020-01-05 09:00:00</wp:post_date_gmt><wp:post_modified>2020-03-29 03:30:00</wp:post_modified><wp:post_modified_gmt>2020-03-29 01:30:00</wp:post_modified_gmt>
<wp:post_name>caf%c3%a9</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="news"><![CDATA[News]]></category><category domain="post_tag" nicename="t"><![CDATA[T &amp; U]]></category><category domain="author" nicename="cap-ann"><![CDATA[ann]]></category>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>7</wp:meta_value></wp:postmeta>
<wp:comment><wp:comment_content><![CDATA[Nice]]></wp:comment_content></wp:comment>
</item>
<item><title>Draft</title><link>https://ex.com/blog/?p=9</link><wp:post_id>9</wp:post_id><wp:post_date>2020-02-01 08:00:00</wp:post_date><wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt><wp:status>draft</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>About</title><wp:post_type>page</wp:post_type><wp:status>publish</wp:status></item>
</channel>
</rss>
EOF

# Jekyll: every post and draft as "PATH\nTEXT", and other generators'
# articles of the fixtures as posts.
while IFS= read -r f; do
  rel=${f#"$import/jekyll/"}
  { printf '%s\n' "$rel"; cat "$f"; } >"$out/jekyll/$(name "$rel")"
done < <(find "$import/jekyll" \( -path '*/_posts/*' -o -path '*/_drafts/*' \) -type f | sort)
while IFS= read -r f; do
  { printf '_posts/2019-05-03-%s\n' "$(basename "$f")"; cat "$f"; } >"$out/jekyll/$(name "$f")"
done < <(find "$fixtures/foreign" -name '*.md' -type f | sort)

# Hugo: every content file as "HUGO.TOML\0PATH\nTEXT".
while IFS= read -r f; do
  rel=${f#"$import/hugo/content/"}
  case $f in *.md | *.html) ;; *) continue ;; esac
  { cat "$import/hugo/hugo.toml"; printf '\0%s\n' "$rel"; cat "$f"; } >"$out/hugo/$(name "$rel")"
done < <(find "$import/hugo/content" -type f | sort)
{ printf '\0news/2019/index.md\n'; cat "$fixtures/foreign/content/2019/05/hugo.md"; } \
  >"$out/hugo/no-config--bundle.md"

# Configuration and data files of the imported generators, as "NAME\nTEXT".
seed_config() { { printf '%s\n' "$1"; cat "$2"; } >"$out/import_config/$(name "$2")"; }
seed_config _config.yml "$import/jekyll/_config.yml"
seed_config _data/authors.yml "$import/jekyll/_data/authors.yml"
seed_config hugo.toml "$import/hugo/hugo.toml"
seed_config _data/authors.yml data/authors.yaml
cat >"$out/import_config/config.json" <<'EOF'
config.json
{"baseURL": "https://ex.com/", "title": "T", "permalinks": {"page": {"posts": "/:year/:slug/"}},
 "taxonomies": {"writer": "writers", "tag": "tags"}, "params": {"description": "D"}, "n": 1.5e3}
EOF

# HTML: the WordPress bodies of the export, HTML posts and pages of the
# fixtures, and a few hand-picked pieces.
perl -0777 -e 'my $dir = shift; local $/; my $x = <STDIN>; my $i = 0;
    while ($x =~ /<content:encoded><!\[CDATA\[(.*?)\]\]><\/content:encoded>/sg) {
      next unless length $1; open my $fh, ">", sprintf("%s/wordpress-body-%02d.html", $dir, $i++) or die;
      print $fh $1 }' "$out/html" <"$import/wordpress/export.xml"
while IFS= read -r f; do
  body "$f" >"$out/html/$(name "$f")"
done < <(find "$import" -name '*.html' -type f | sort)
cat >"$out/html/figures-and-players.html" <<'EOF'
<h2>Heading &amp; more</h2><p>Text with <sup>2</sup> and <sub>n</sub>, <em>em</em>, <a href="/x (y)">link</a>.</p>
<figure><img src="a b.jpg" alt="[Alt]" title="T"><figcaption>The "caption"</figcaption></figure>
<figure><p>No image</p></figure>
<iframe src="https://player.example/1" width="560"></iframe><video controls><source src="v.mp4"></video>
<ul><li>one<ul><li>two</li></ul></li></ul><ol start="3"><li>three</li></ol>
<pre><code class="language-rust">fn main() {}
</code></pre><table><tr><th>a</th></tr><tr><td>b</td></tr></table>
<script>alert(1)</script><style>p{}</style><!-- wp:quote --><blockquote>q</blockquote><!-- /wp:quote -->
[caption id="a" caption="Old style"]<img src="c.jpg" />[/caption] [audio src="a.mp3"] [unknown x]
EOF
printf 'Caf&eacute; &#8216;IRS2Go&#8217; <em>now</em>\n\nline one\nline two\n<pre>\n\nkept\n</pre>\n' \
  >"$out/html/entities-and-paragraphs.html"

du -sh --apparent-size "$out"
for t in "${targets[@]}"; do
  printf '%-14s %3d seeds, %s\n' "$t" "$(find "$out/$t" -type f | wc -l)" "$(du -sh --apparent-size "$out/$t" | cut -f1)"
done
