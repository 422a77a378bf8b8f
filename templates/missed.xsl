<?xml version="1.0" encoding="UTF-8"?>
<!-- 未接来电 (fcgi-app/missed/): the missed calls of the groups the user
     sees, newest first, with who called, when, how long they waited, where
     the call was lost, whether the customer was called back since, the
     claim and the outcome; buttons to claim, call back (click-to-dial,
     static/dial.js) and set the outcome (static/missed.js, which also
     refreshes the list). Everything comes from /page/missed
     (missed/list.c) and is escaped here. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:value-of select="i:t('missed.title')"/>
  </xsl:template>

  <xsl:template match="/page" mode="head">
    <link rel="stylesheet" href="/cc/static/missed.css"/>
  </xsl:template>

  <xsl:template match="/page" mode="scripts">
    <script src="/cc/static/cc.js" defer="defer"></script>
    <xsl:if test="user/@agent = '1'">
      <script src="/cc/static/dial.js" defer="defer"></script>
    </xsl:if>
    <script src="/cc/static/missed.js" defer="defer"></script>
  </xsl:template>

  <xsl:template match="/page" mode="main">
    <xsl:variable name="ms" select="missed"/>
    <xsl:variable name="f" select="$ms/filter"/>
    <div id="missed" data-user="{user/@id}" data-admin="{user/@admin}" data-agent="{user/@agent}">
      <xsl:attribute name="class">
        <xsl:choose>
          <xsl:when test="side">console</xsl:when>
          <xsl:otherwise>missed-page</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:if test="side"><xsl:call-template name="side-nav"/></xsl:if>
      <div class="console-main">
        <div class="page-head"><h1 id="missed-heading"><xsl:value-of select="i:t('missed.title')"/></h1></div>
        <p class="muted" id="missed-rule">
          <xsl:call-template name="fill">
            <xsl:with-param name="text" select="i:t('missed.rule')"/>
            <xsl:with-param name="value" select="$ms/@claim_minutes"/>
          </xsl:call-template>
        </p>
        <xsl:if test="$f/@bad">
          <div id="missed-error" class="banner banner-warn" role="alert" data-field="{$f/@bad}"><xsl:value-of select="i:t('missed.bad_date')"/></div>
        </xsl:if>
        <section class="panel">
          <form method="get" action="/cc/missed" class="res-search" id="missed-filter">
            <label for="m-group"><xsl:value-of select="i:t('missed.group')"/></label>
            <select id="m-group" name="group">
              <option value=""><xsl:value-of select="i:t('missed.all_groups')"/></option>
              <xsl:for-each select="$f/group">
                <option value="{@id}">
                  <xsl:if test="@id = $f/@group"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
                  <xsl:value-of select="."/>
                </option>
              </xsl:for-each>
            </select>
            <label for="m-state"><xsl:value-of select="i:t('missed.state')"/></label>
            <select id="m-state" name="state">
              <xsl:call-template name="state-option"><xsl:with-param name="v" select="''"/><xsl:with-param name="k" select="'todo'"/></xsl:call-template>
              <xsl:call-template name="state-option"><xsl:with-param name="v" select="'open'"/><xsl:with-param name="k" select="'open'"/></xsl:call-template>
              <xsl:call-template name="state-option"><xsl:with-param name="v" select="'claimed'"/><xsl:with-param name="k" select="'claimed'"/></xsl:call-template>
              <xsl:call-template name="state-option"><xsl:with-param name="v" select="'done'"/><xsl:with-param name="k" select="'done'"/></xsl:call-template>
              <xsl:call-template name="state-option"><xsl:with-param name="v" select="'all'"/><xsl:with-param name="k" select="'all'"/></xsl:call-template>
            </select>
            <label for="m-from"><xsl:value-of select="i:t('missed.from')"/></label>
            <input type="date" id="m-from" name="from" value="{$f/@from}"/>
            <label for="m-to"><xsl:value-of select="i:t('missed.to')"/></label>
            <input type="date" id="m-to" name="to" value="{$f/@to}"/>
            <label class="check">
              <input type="checkbox" id="m-back" name="back" value="1">
                <xsl:if test="$f/@back"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
              </input>
              <xsl:value-of select="i:t('missed.show_back')"/>
            </label>
            <button type="submit" class="btn" id="missed-go"><xsl:value-of select="i:t('missed.filter')"/></button>
          </form>
          <div id="missed-status" class="inline-error" role="alert"></div>
          <table class="table" id="missed-list">
            <thead><tr>
              <th><xsl:value-of select="i:t('missed.caller')"/></th>
              <th><xsl:value-of select="i:t('missed.group')"/></th>
              <th><xsl:value-of select="i:t('missed.at')"/></th>
              <th><xsl:value-of select="i:t('missed.waited')"/></th>
              <th><xsl:value-of select="i:t('missed.stage')"/></th>
              <th><xsl:value-of select="i:t('missed.back')"/></th>
              <th><xsl:value-of select="i:t('missed.state')"/></th>
              <th class="actions"><xsl:value-of select="i:t('missed.actions')"/></th>
            </tr></thead>
            <tbody id="missed-rows" data-total="{$ms/items/@total}">
              <xsl:for-each select="$ms/items/item">
                <xsl:call-template name="row"/>
              </xsl:for-each>
              <xsl:if test="not($ms/items/item)">
                <tr class="empty"><td colspan="8"><xsl:value-of select="i:t('missed.empty')"/></td></tr>
              </xsl:if>
            </tbody>
          </table>
          <nav class="pager" id="missed-pages" aria-label="{i:t('missed.pages')}" data-total="{$ms/items/@total}">
            <span class="pager-info" id="missed-total">
              <xsl:call-template name="fill">
                <xsl:with-param name="text" select="i:t('missed.total')"/>
                <xsl:with-param name="value" select="$ms/items/@total"/>
              </xsl:call-template>
            </span>
            <xsl:for-each select="$ms/pager/page | $ms/pager/gap">
              <xsl:choose>
                <xsl:when test="self::gap"><span class="pager-gap">…</span></xsl:when>
                <xsl:when test="@current"><span class="pager-page current" aria-current="page"><xsl:value-of select="@n"/></span></xsl:when>
                <xsl:otherwise><a class="pager-page" href="{@href}"><xsl:value-of select="@n"/></a></xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </nav>
        </section>

        <form id="missed-outcome" class="panel" hidden="hidden" novalidate="novalidate">
          <h2><xsl:value-of select="i:t('missed.outcome_title')"/></h2>
          <input type="hidden" id="mo-id" name="id"/>
          <p id="mo-who" class="mono"></p>
          <label for="mo-outcome"><xsl:value-of select="i:t('missed.outcome')"/></label>
          <select id="mo-outcome" name="outcome">
            <option value=""><xsl:value-of select="i:t('missed.choose')"/></option>
            <xsl:for-each select="$ms/outcomes/o">
              <option value="{@v}"><xsl:value-of select="i:t(concat('missed.outcome.', @v))"/></option>
            </xsl:for-each>
          </select>
          <label for="mo-note"><xsl:value-of select="i:t('missed.note')"/></label>
          <textarea id="mo-note" name="note" maxlength="500" rows="3"></textarea>
          <div id="mo-error" class="inline-error" role="alert"></div>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" id="mo-save"><xsl:value-of select="i:t('missed.save')"/></button>
            <button type="button" class="btn btn-quiet" id="mo-cancel"><xsl:value-of select="i:t('missed.cancel')"/></button>
          </div>
        </form>

        <xsl:if test="user/@agent = '1'">
          <!-- The workbench's click-to-dial box (static/dial.js): 回拨 fills it in and sends it. -->
          <form id="dial-box" class="dial-box panel" novalidate="novalidate" autocomplete="off"
                data-calling="{i:t('dial.calling')}" data-call="{i:t('dial.call')}"
                data-failed="{i:t('dial.failed')}">
            <label for="dial-number"><xsl:value-of select="i:t('dial.title')"/></label>
            <div class="dial-row">
              <input type="tel" id="dial-number" name="number" maxlength="40"
                     placeholder="{i:t('dial.placeholder')}" aria-label="{i:t('dial.number')}"/>
              <button type="submit" class="btn btn-primary" id="btn-dial">
                <xsl:value-of select="i:t('dial.call')"/>
              </button>
            </div>
            <div id="dial-status" class="muted" role="status"></div>
            <div id="dial-error" class="inline-error" role="alert"></div>
          </form>
        </xsl:if>
      </div>
    </div>
  </xsl:template>

  <!-- One choice of the state filter: value v, catalogue key missed.filter.k. -->
  <xsl:template name="state-option">
    <xsl:param name="v"/>
    <xsl:param name="k"/>
    <option value="{$v}">
      <xsl:if test="$v = string(/page/missed/filter/@state)"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
      <xsl:value-of select="i:t(concat('missed.filter.', $k))"/>
    </option>
  </xsl:template>

  <!-- One missed call (an <item> of missed/list.c). -->
  <xsl:template name="row">
    <xsl:variable name="admin" select="/page/user/@admin = '1'"/>
    <tr data-id="{@id}" data-state="{@state}" data-claimed-by="{@claimed_by}" data-mine="{@mine}"
        data-dial="{@dial}" data-group="{@group_id}" data-stage="{@stage}" data-same="{@same}">
      <td data-col="caller">
        <xsl:if test="string(@contact_name)">
          <div class="missed-name"><xsl:value-of select="@contact_name"/></div>
        </xsl:if>
        <span class="mono"><xsl:value-of select="@caller"/></span>
        <xsl:if test="@same &gt; 1">
          <div class="muted missed-same">
            <xsl:call-template name="fill">
              <xsl:with-param name="text" select="i:t('missed.same_number')"/>
              <xsl:with-param name="value" select="@same"/>
            </xsl:call-template>
          </div>
        </xsl:if>
      </td>
      <td data-col="group"><xsl:value-of select="@group_name"/></td>
      <td data-col="at" class="nowrap"><xsl:value-of select="@at"/></td>
      <td data-col="waited" data-value="{@waited}">
        <xsl:call-template name="duration"><xsl:with-param name="s" select="@waited"/></xsl:call-template>
      </td>
      <td data-col="stage"><xsl:value-of select="i:t(concat('missed.stage.', @stage))"/></td>
      <td data-col="back" data-value="{@back_at}">
        <xsl:choose>
          <xsl:when test="string(@back_at)">
            <span class="missed-back"><xsl:value-of select="i:t(concat('missed.back.', @back_dir))"/></span>
            <div class="muted"><xsl:value-of select="@back_at"/></div>
          </xsl:when>
          <xsl:otherwise>—</xsl:otherwise>
        </xsl:choose>
      </td>
      <td data-col="state">
        <xsl:choose>
          <xsl:when test="@state = 'done'">
            <span class="missed-done"><xsl:value-of select="i:t(concat('missed.outcome.', @outcome))"/></span>
            <div class="muted"><xsl:value-of select="@done_name"/><xsl:text> </xsl:text><xsl:value-of select="@done_at"/></div>
            <xsl:if test="string(@outcome_note)">
              <div class="missed-note"><xsl:value-of select="@outcome_note"/></div>
            </xsl:if>
          </xsl:when>
          <xsl:when test="@state = 'claimed'">
            <span class="missed-claimed">
              <xsl:call-template name="fill">
                <xsl:with-param name="text" select="i:t('missed.claimed_by')"/>
                <xsl:with-param name="value" select="@claimed_name"/>
              </xsl:call-template>
            </span>
            <div class="muted"><xsl:value-of select="@claimed_at"/></div>
          </xsl:when>
          <xsl:otherwise><span class="missed-open"><xsl:value-of select="i:t('missed.state.open')"/></span></xsl:otherwise>
        </xsl:choose>
      </td>
      <td class="actions">
        <xsl:if test="@state != 'done'">
          <button type="button" class="btn btn-sm missed-claim">
            <xsl:if test="@state = 'claimed'">
              <xsl:attribute name="disabled">disabled</xsl:attribute>
            </xsl:if>
            <xsl:value-of select="i:t('missed.claim')"/>
          </button>
          <xsl:if test="/page/user/@agent = '1' and (@state = 'open' or @mine = '1')">
            <button type="button" class="btn btn-sm btn-primary missed-call"><xsl:value-of select="i:t('missed.call_back')"/></button>
          </xsl:if>
          <xsl:if test="@state = 'open' or @mine = '1'">
            <button type="button" class="btn btn-sm btn-quiet missed-set"><xsl:value-of select="i:t('missed.set_outcome')"/></button>
          </xsl:if>
          <xsl:if test="@state = 'claimed' and (@mine = '1' or $admin)">
            <button type="button" class="btn btn-sm btn-quiet missed-release"><xsl:value-of select="i:t('missed.release')"/></button>
          </xsl:if>
        </xsl:if>
      </td>
    </tr>
  </xsl:template>
</xsl:stylesheet>
