/// <reference lib="dom" />
/**
 * Grades constrained by the level, subject and series by the level and the grades. Without this
 * island every choice shows and the server validates (TaxonomyService.validate). Choices that do
 * not fit are hidden and disabled, so neither a pointer nor a keyboard nor a screen reader meets them.
 */
function numbers(text: string | undefined): number[] {
  return (text ?? '').split(' ').filter(Boolean).map(Number);
}

function setUp(root: HTMLElement): void {
  const level = root.querySelector<HTMLSelectElement>('select[name=level]');
  const subject = root.querySelector<HTMLSelectElement>('select[name=subject]');
  const series = root.querySelector<HTMLSelectElement>('select[name=series]');
  const gradeChoices = [...root.querySelectorAll<HTMLElement>('#truong-grades .choice')];
  if (!level || !subject) return;

  function show(option: HTMLOptionElement, visible: boolean): void {
    option.hidden = !visible;
    option.disabled = !visible;
  }

  /** Keeps the selection on a visible option (the first one) when the chosen one was hidden. */
  function keepVisible(select: HTMLSelectElement): void {
    if (select.selectedOptions[0]?.hidden) select.value = [...select.options].find((o) => !o.hidden)?.value ?? '';
  }

  function update(): void {
    const chosenLevel = level!.value;
    const levelGrades = numbers(level!.selectedOptions[0]?.dataset.grades);
    for (const choice of gradeChoices) {
      const fits = (choice.dataset.levels ?? '').split(' ').includes(chosenLevel);
      choice.hidden = !fits;
      const box = choice.querySelector('input')!;
      box.disabled = !fits;
      if (!fits) box.checked = false;
    }
    const checked = gradeChoices.map((c) => c.querySelector('input')!).filter((b) => b.checked).map((b) => Number(b.value));
    // No grade ticked yet: the level's grades say what fits.
    const grades = checked.length ? checked : levelGrades;
    const overlaps = (option: HTMLOptionElement) => grades.length === 0 || numbers(option.dataset.grades).some((g) => grades.includes(g));
    for (const option of subject!.options) {
      const ownLevel = option.dataset.level;
      // A subject of a level without grades (kindergarten, vocational) belongs to that level only.
      show(option, ownLevel ? ownLevel === chosenLevel : levelGrades.length > 0 && overlaps(option));
    }
    // A level no subject is listed for: every subject stays a choice, the server has the last word.
    if ([...subject!.options].every((o) => o.hidden)) for (const option of subject!.options) show(option, true);
    keepVisible(subject!);
    if (series) {
      for (const option of series.options) if (option.value) show(option, overlaps(option));
      keepVisible(series);
    }
  }

  level.addEventListener('change', update);
  for (const choice of gradeChoices) choice.querySelector('input')!.addEventListener('change', update);
  update();
}

document.querySelectorAll<HTMLElement>('[data-dependent-selects]').forEach(setUp);
