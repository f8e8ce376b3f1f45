/* cmg-cli-terminal.c: see cmg-cli-terminal.h.
 *
 * A small screen model: the rows the cursor can still reach (spinners redraw with `\r`, erase-line
 * and cursor-up) stay open; a row becomes final once the cursor has left it, unless it looks like a
 * spinner frame, which the next redraw will replace. */
#include "config.h"

#include <string.h>

#include "cmg-cli-terminal.h"

/* A longer line is broken: one pathological line must not hold the whole output in memory. */
#define MAX_LINE_CELLS 16384
/* Parameter bytes of one CSI sequence, and bytes of one OSC string, kept or skipped at most. */
#define MAX_CSI_PARAMS 32
#define MAX_OSC_BYTES 4096

typedef enum {
  STATE_NORMAL,
  STATE_ESC,
  STATE_CSI,
  STATE_OSC,
  STATE_OSC_ESC,
  STATE_CHARSET,
} EscState;

typedef struct {
  GArray  *cells;  /* gunichar */
  int      index;  /* -1 until announced */
  char    *shown;  /* text last reported */
  gboolean dirty;
} Row;

struct _CmgCliTerminal
{
  GObject    parent_instance;

  GPtrArray *rows;        /* Row*, the open rows, top first */
  guint      cursor_row;  /* index into rows */
  guint      cursor_col;
  guint      next_index;

  /* UTF-8 decoder */
  gunichar   cp;
  gunichar   cp_min;
  guint      need;

  EscState   state;
  char       params[MAX_CSI_PARAMS + 1];
  guint      n_params;
  gsize      osc_len;

  char      *current;
};

G_DEFINE_FINAL_TYPE (CmgCliTerminal, cmg_cli_terminal, G_TYPE_OBJECT)

void
cmg_cli_line_op_free (CmgCliLineOp *op)
{
  if (op == NULL)
    return;
  g_free (op->text);
  g_free (op);
}

GPtrArray *
cmg_cli_line_ops_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)cmg_cli_line_op_free);
}

static Row *
row_new (void)
{
  Row *row = g_new0 (Row, 1);

  row->cells = g_array_new (FALSE, FALSE, sizeof (gunichar));
  row->index = -1;
  return row;
}

static void
row_free (Row *row)
{
  g_array_unref (row->cells);
  g_free (row->shown);
  g_free (row);
}

static char *
row_render (Row *row)
{
  guint len = row->cells->len;
  char *text;

  while (len > 0 && g_array_index (row->cells, gunichar, len - 1) == ' ')
    len--;

  text = g_ucs4_to_utf8 ((const gunichar *)(gpointer)row->cells->data, len, NULL, NULL, NULL);
  return text ? text : g_strdup ("");
}

/* A spinner frame (ora's default "dots" are braille patterns) is about to be redrawn. */
static gboolean
row_is_tentative (Row *row)
{
  for (guint i = 0; i < row->cells->len; i++)
    {
      gunichar c = g_array_index (row->cells, gunichar, i);

      if (c == ' ')
        continue;
      return c >= 0x2800 && c <= 0x28FF;
    }

  return FALSE;
}

static void
cmg_cli_terminal_finalize (GObject *object)
{
  CmgCliTerminal *self = (CmgCliTerminal *)object;

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->current, g_free);

  G_OBJECT_CLASS (cmg_cli_terminal_parent_class)->finalize (object);
}

static void
cmg_cli_terminal_class_init (CmgCliTerminalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cmg_cli_terminal_finalize;
}

static void
cmg_cli_terminal_init (CmgCliTerminal *self)
{
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)row_free);
  g_ptr_array_add (self->rows, row_new ());
}

CmgCliTerminal *
cmg_cli_terminal_new (void)
{
  return g_object_new (CMG_TYPE_CLI_TERMINAL, NULL);
}

static Row *
cursor_row (CmgCliTerminal *self)
{
  return g_ptr_array_index (self->rows, self->cursor_row);
}

static void
line_feed (CmgCliTerminal *self)
{
  self->cursor_row++;
  if (self->cursor_row >= self->rows->len)
    g_ptr_array_add (self->rows, row_new ());
  self->cursor_col = 0;
}

static void
put_char (CmgCliTerminal *self,
          gunichar        c)
{
  Row *row = cursor_row (self);
  const gunichar space = ' ';

  if (self->cursor_col >= MAX_LINE_CELLS)
    {
      line_feed (self);
      row = cursor_row (self);
    }

  while (row->cells->len < self->cursor_col)
    g_array_append_val (row->cells, space);

  if (self->cursor_col == row->cells->len)
    g_array_append_val (row->cells, c);
  else
    g_array_index (row->cells, gunichar, self->cursor_col) = c;

  self->cursor_col++;
  row->dirty = TRUE;
}

static guint
param_at (CmgCliTerminal *self,
          guint           position,
          guint           fallback)
{
  const char *p = self->params;
  guint value = 0;
  gboolean seen = FALSE;

  if (*p == '?' || *p == '>' || *p == '=')
    p++;

  for (guint i = 0; i < position; i++)
    {
      p = strchr (p, ';');
      if (p == NULL)
        return fallback;
      p++;
    }

  for (; *p >= '0' && *p <= '9'; p++)
    {
      seen = TRUE;
      if (value < 100000)
        value = value * 10 + (guint)(*p - '0');
    }

  return seen ? value : fallback;
}

static void
erase_cells (Row   *row,
             guint  from,
             guint  to)
{
  to = MIN (to, row->cells->len);
  for (guint i = from; i < to; i++)
    g_array_index (row->cells, gunichar, i) = ' ';
  row->dirty = TRUE;
}

static void
execute_csi (CmgCliTerminal *self,
             char            final)
{
  Row *row = cursor_row (self);
  gboolean private = self->params[0] == '?' || self->params[0] == '>' || self->params[0] == '=';
  guint n;

  /* `?25l`/`?25h` (cursor visibility) and other private modes do not change the text. */
  if (private)
    return;

  switch (final)
    {
    case 'K':
      n = param_at (self, 0, 0);
      if (n == 0)
        {
          if (self->cursor_col < row->cells->len)
            g_array_set_size (row->cells, self->cursor_col);
          row->dirty = TRUE;
        }
      else if (n == 1)
        erase_cells (row, 0, self->cursor_col + 1);
      else
        {
          g_array_set_size (row->cells, 0);
          row->dirty = TRUE;
        }
      break;

    case 'G':
    case '`':
      self->cursor_col = MIN (MAX (param_at (self, 0, 1), 1u) - 1, MAX_LINE_CELLS - 1);
      break;

    case 'C':
      self->cursor_col = MIN (self->cursor_col + MAX (param_at (self, 0, 1), 1u), MAX_LINE_CELLS - 1);
      break;

    case 'D':
      n = MAX (param_at (self, 0, 1), 1u);
      self->cursor_col = self->cursor_col > n ? self->cursor_col - n : 0;
      break;

    case 'A':
    case 'F':
      n = MAX (param_at (self, 0, 1), 1u);
      /* Rows that became final are gone: the cursor stops at the oldest open one. */
      self->cursor_row = self->cursor_row > n ? self->cursor_row - n : 0;
      if (final == 'F')
        self->cursor_col = 0;
      break;

    case 'B':
    case 'E':
      n = MAX (param_at (self, 0, 1), 1u);
      self->cursor_row = MIN (self->cursor_row + n, self->rows->len - 1);
      if (final == 'E')
        self->cursor_col = 0;
      break;

    case 'J':
      /* Only "erase below": clearing the whole screen must not blank lines already logged. */
      if (param_at (self, 0, 0) == 0)
        {
          if (self->cursor_col < row->cells->len)
            g_array_set_size (row->cells, self->cursor_col);
          row->dirty = TRUE;
          for (guint i = self->cursor_row + 1; i < self->rows->len; i++)
            {
              Row *below = g_ptr_array_index (self->rows, i);

              g_array_set_size (below->cells, 0);
              below->dirty = TRUE;
            }
        }
      break;

    default:
      /* Colours (`m`), absolute positions, scrolling regions…: no effect on the text. */
      break;
    }
}

static void
handle_control (CmgCliTerminal *self,
                guchar          b)
{
  switch (b)
    {
    case '\n':
    case '\v':
    case '\f':
      /* A pipe carries bare `\n`; a terminal turns it into `\r\n`: both start a fresh line. */
      line_feed (self);
      break;

    case '\r':
      self->cursor_col = 0;
      break;

    case '\b':
      if (self->cursor_col > 0)
        self->cursor_col--;
      break;

    case '\t':
      do
        put_char (self, ' ');
      while (self->cursor_col % 8 != 0);
      break;

    case 0x1b:
      self->state = STATE_ESC;
      break;

    default:
      /* BEL, NUL, DEL and other controls have no text. */
      break;
    }
}

static void
put_decoded (CmgCliTerminal *self,
             gunichar        c)
{
  /* C1 controls and noncharacters that would only confuse a log view */
  if ((c >= 0x80 && c < 0xa0) || c == 0xfeff)
    return;
  put_char (self, c);
}

static void
feed_byte (CmgCliTerminal *self,
           guchar          b)
{
  switch (self->state)
    {
    case STATE_ESC:
      if (b == '[')
        {
          self->state = STATE_CSI;
          self->n_params = 0;
          self->params[0] = '\0';
        }
      else if (b == ']')
        {
          self->state = STATE_OSC;
          self->osc_len = 0;
        }
      else if (b == '(' || b == ')' || b == '*' || b == '+')
        self->state = STATE_CHARSET;
      else if (b == 0x1b)
        self->state = STATE_ESC;
      else
        self->state = STATE_NORMAL;  /* two-byte sequences (save cursor, keypad mode…) */
      return;

    case STATE_CHARSET:
      self->state = STATE_NORMAL;
      return;

    case STATE_CSI:
      if (b >= 0x30 && b <= 0x3f)
        {
          if (self->n_params < MAX_CSI_PARAMS)
            {
              self->params[self->n_params++] = (char)b;
              self->params[self->n_params] = '\0';
            }
        }
      else if (b >= 0x20 && b <= 0x2f)
        ; /* intermediate bytes */
      else if (b >= 0x40 && b <= 0x7e)
        {
          self->state = STATE_NORMAL;
          execute_csi (self, (char)b);
        }
      else
        {
          /* A broken sequence: drop it, keep the byte's own meaning. */
          self->state = STATE_NORMAL;
          if (b < 0x20)
            handle_control (self, b);
        }
      return;

    case STATE_OSC:
      if (b == 0x07 || ++self->osc_len > MAX_OSC_BYTES)
        self->state = STATE_NORMAL;
      else if (b == 0x1b)
        self->state = STATE_OSC_ESC;
      return;

    case STATE_OSC_ESC:
      self->state = b == '\\' ? STATE_NORMAL : STATE_OSC;
      return;

    case STATE_NORMAL:
    default:
      break;
    }

  if (self->need > 0)
    {
      if ((b & 0xc0) == 0x80)
        {
          self->cp = (self->cp << 6) | (b & 0x3f);
          if (--self->need == 0)
            {
              gunichar c = self->cp;

              if (c < self->cp_min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
                c = 0xfffd;
              put_decoded (self, c);
            }
          return;
        }

      /* Truncated sequence: mark it, then read this byte afresh. */
      self->need = 0;
      put_char (self, 0xfffd);
    }

  if (b < 0x80)
    {
      if (b < 0x20 || b == 0x7f)
        handle_control (self, b);
      else
        put_char (self, b);
    }
  else if (b >= 0xc2 && b <= 0xdf)
    {
      self->need = 1;
      self->cp = b & 0x1f;
      self->cp_min = 0x80;
    }
  else if (b >= 0xe0 && b <= 0xef)
    {
      self->need = 2;
      self->cp = b & 0x0f;
      self->cp_min = 0x800;
    }
  else if (b >= 0xf0 && b <= 0xf4)
    {
      self->need = 3;
      self->cp = b & 0x07;
      self->cp_min = 0x10000;
    }
  else
    put_char (self, 0xfffd);
}

static void
add_op (GPtrArray        *ops,
        CmgCliLineOpKind  kind,
        guint             index,
        const char       *text)
{
  CmgCliLineOp *op = g_new0 (CmgCliLineOp, 1);

  op->kind = kind;
  op->index = index;
  op->text = g_strdup (text);
  g_ptr_array_add (ops, op);
}

static void
announce (CmgCliTerminal *self,
          Row            *row,
          GPtrArray      *ops)
{
  row->index = (int)self->next_index++;
  g_free (row->shown);
  row->shown = row_render (row);
  row->dirty = FALSE;
  add_op (ops, CMG_CLI_LINE_ADDED, (guint)row->index, row->shown);
}

static void
sync_rows (CmgCliTerminal *self,
           GPtrArray      *ops)
{
  guint last_shown = 0;

  /* Lines are numbered in screen order: a row is shown once it has text or the cursor has passed
   * it, and then every row above it is shown too. */
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      if (row->index >= 0 || row->cells->len > 0 || i < self->cursor_row)
        last_shown = i + 1;
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      if (row->index < 0)
        {
          if (i < last_shown)
            announce (self, row, ops);
        }
      else if (row->dirty)
        {
          g_autofree char *text = row_render (row);

          row->dirty = FALSE;
          if (g_strcmp0 (text, row->shown) != 0)
            {
              g_free (row->shown);
              row->shown = g_steal_pointer (&text);
              add_op (ops, CMG_CLI_LINE_UPDATED, (guint)row->index, row->shown);
            }
        }
    }

  while (self->cursor_row > 0)
    {
      Row *top = g_ptr_array_index (self->rows, 0);
      Row *cursor = cursor_row (self);

      /* A spinner frame is redrawn only while the cursor sits on the empty row right below it;
       * once output went on past it, the frame stays on screen as it is. */
      if (row_is_tentative (top) && self->cursor_row == 1 && cursor->cells->len == 0)
        break;

      add_op (ops, CMG_CLI_LINE_FINAL, (guint)top->index, top->shown);
      g_ptr_array_remove_index (self->rows, 0);
      self->cursor_row--;
    }
}

void
cmg_cli_terminal_feed (CmgCliTerminal *self,
                       const char     *data,
                       gsize           len,
                       GPtrArray      *ops)
{
  g_return_if_fail (CMG_IS_CLI_TERMINAL (self));
  g_return_if_fail (ops != NULL);

  for (gsize i = 0; i < len; i++)
    feed_byte (self, (guchar)data[i]);

  sync_rows (self, ops);
}

void
cmg_cli_terminal_finish (CmgCliTerminal *self,
                         GPtrArray      *ops)
{
  g_return_if_fail (CMG_IS_CLI_TERMINAL (self));

  if (self->need > 0)
    {
      self->need = 0;
      put_char (self, 0xfffd);
    }
  self->state = STATE_NORMAL;

  sync_rows (self, ops);

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      if (row->index < 0)
        {
          if (i + 1 == self->rows->len && row->cells->len == 0)
            continue;
          announce (self, row, ops);
        }
      add_op (ops, CMG_CLI_LINE_FINAL, (guint)row->index, row->shown);
    }

  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_add (self->rows, row_new ());
  self->cursor_row = 0;
  self->cursor_col = 0;
}

const char *
cmg_cli_terminal_get_current_line (CmgCliTerminal *self,
                                   gboolean       *out_complete)
{
  g_return_val_if_fail (CMG_IS_CLI_TERMINAL (self), NULL);

  g_clear_pointer (&self->current, g_free);
  if (out_complete)
    *out_complete = FALSE;

  /* A spinner leaves the cursor on the empty row below its frame: that frame is the news. */
  for (int i = (int)self->cursor_row; i >= 0 && self->current == NULL; i--)
    {
      self->current = row_render (g_ptr_array_index (self->rows, i));
      if (self->current[0] == '\0')
        g_clear_pointer (&self->current, g_free);
      else if (out_complete)
        *out_complete = (guint)i < self->cursor_row;
    }

  return self->current;
}
