import sanitizeHtml from 'sanitize-html';
console.log(sanitizeHtml(`<img alt="a > b < c" src="x.png"> it's "q" & <!-- c --> <script>x</script>`, { allowedTags: ['img'], allowedAttributes: { img: ['alt', 'src'] } }));
console.log(sanitizeHtml(`plain text, it's fine`));
